import type * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import type { HistoryState } from './types';

export const UNTRUSTED_DETAIL =
  'This workspace is not trusted, so rekey does not run git: history exposures, tracking checks and commit-based ages are off. Parsing, secret detection, masking and backup comparison work. Trust the workspace to turn the git checks on.';
export const UNTRUSTED_NOTICE_KEY = 'rekey.untrustedNoticeShown';
export const HISTORY_DISABLED_DETAIL = 'History checks are off (setting rekey.history.enabled).';

export interface HistoryTrackerOptions {
  logger: Logger;
  /** Called when a folder's history state changes in a way a view shows. */
  onDidChange: () => void;
  /** Where "the untrusted notice was shown" is remembered (the workspace state). */
  memento: Pick<vscode.Memento, 'get' | 'update'>;
  /** Shows the untrusted notice once; resolves with the picked action. */
  notifyOnce: (id: string, message: string, ...actions: string[]) => Thenable<string | undefined>;
  /** Opens the workspace trust editor. */
  manageTrust: () => void;
}

/**
 * Where the git checks stand per workspace folder (history state, shown by the Secrets view and
 * the status bar), the abort handle of each folder's running git pass, and the one explanation
 * of what an untrusted workspace turns off. Uses no VS Code API (what it shows is passed in).
 */
export class HistoryTracker {
  private readonly states = new Map<string, HistoryState>();
  private readonly aborts = new Map<string, AbortController>();

  constructor(private readonly options: HistoryTrackerOptions) {}

  get(key: string): HistoryState | undefined {
    return this.states.get(key);
  }

  /** Sets a folder's state; tells listeners when status, detail or last run changed. */
  set(key: string, state: HistoryState): void {
    const before = this.states.get(key);
    this.states.set(key, state);
    if (!before || before.status !== state.status || before.detail !== state.detail || before.lastRun !== state.lastRun) this.options.onDidChange();
  }

  setUntrusted(key: string, folder: vscode.WorkspaceFolder): void {
    this.set(key, { folder, status: 'untrusted', detail: UNTRUSTED_DETAIL });
  }

  /** A new git pass of `key` starts: the running one (if any) is aborted. */
  begin(key: string): AbortController {
    this.aborts.get(key)?.abort();
    const ac = new AbortController();
    this.aborts.set(key, ac);
    return ac;
  }

  /** The git pass holding `ac` ended. */
  end(key: string, ac: AbortController): void {
    if (this.aborts.get(key) === ac) this.aborts.delete(key);
  }

  /** Aborts the folder's running git pass, if any. */
  abort(key: string): void {
    this.aborts.get(key)?.abort();
  }

  /** A folder left the workspace. */
  forget(key: string): void {
    this.abort(key);
    this.states.delete(key);
  }

  /** Marks every folder untrusted and explains why, once per workspace. */
  explainUntrusted(folders: ReadonlyArray<{ key: string; folder: vscode.WorkspaceFolder }>): void {
    for (const { key, folder } of folders) this.setUntrusted(key, folder);
    const { memento, logger } = this.options;
    if (memento.get<boolean>(UNTRUSTED_NOTICE_KEY)) return;
    void memento.update(UNTRUSTED_NOTICE_KEY, true);
    logger.info(UNTRUSTED_DETAIL);
    void Promise.resolve(this.options.notifyOnce('untrusted', `rekey: ${UNTRUSTED_DETAIL}`, 'Manage Workspace Trust')).then((pick) => {
      if (pick === 'Manage Workspace Trust') this.options.manageTrust();
    });
  }

  dispose(): void {
    for (const a of this.aborts.values()) a.abort();
    this.aborts.clear();
  }
}
