import * as vscode from 'vscode';
import type { DetectOptions } from '../../core/detect/types';
import type { Logger } from '../../core/log';
import type { Range } from '../../core/text/lineIndex';
import { classifyEnvFileName } from '../../core/workspace/envFileNames';
import { fromRange, toRange } from '../convert';
import type { WorkspaceModel } from '../model/types';
import { readSettings } from '../settings';
import { MAX_MASKED_TEXT, maskTargets, type MaskTarget } from './maskRanges';

/** What stands in for a hidden value: fixed, so it says nothing about the value's length. */
export const MASK_TEXT = '••••••••';

/**
 * Schemes whose documents are never masked: rekey's own log and other output, and the snapshots
 * of a diff the user asked to see with values (Reveal Values in Backup Diff).
 */
const SKIPPED_SCHEMES = new Set(['output', 'vscode-settings', 'debug', 'rekey-revealed']);

/** What detection options amount to, as a string: a document is judged again only when it changes. */
function optionsKey(o: DetectOptions): string {
  const hints = o.kindHints ? [...o.kindHints].map(([k, v]) => `${k}=${v.kind}`).join(',') : '';
  return `${o.relativePath ?? ''}|${JSON.stringify(o.config ?? {})}|${hints}`;
}

/** Whether a document is one masking applies to: the dotenv language or a `.env`-family name. */
export function isMaskable(doc: vscode.TextDocument): boolean {
  if (SKIPPED_SCHEMES.has(doc.uri.scheme)) return false;
  return doc.languageId === 'dotenv' || classifyEnvFileName(doc.uri.path) !== undefined;
}

/**
 * Hides secret values in `.env`-family editors with a decoration: the value's text is taken out
 * of the line (`display: none`, with `opacity: 0` should a future renderer drop that) and a
 * fixed mask is drawn before it. The decoration never carries the real text, only
 * {@link MASK_TEXT}. Secrets are judged synchronously from the buffer on every change, so a
 * value typed or pasted is hidden at once rather than after the debounced analysis.
 *
 * Masking is on by default (`rekey.mask.enabled`); **rekey: Toggle Secret Masking** flips it for
 * the session, **rekey: Reveal Secret Value** shows one value for `rekey.mask.revealTimeoutSeconds`.
 */
export class MaskingController implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    textDecoration: 'none; display: none;',
    opacity: '0',
    before: { contentText: MASK_TEXT, color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'normal' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly disposables: vscode.Disposable[] = [];
  private readonly stateChanged = new vscode.EventEmitter<void>();
  /** Fires when masking may have been turned on or off (toggle or setting). */
  readonly onDidChangeState = this.stateChanged.event;
  /** Session override of the setting by the toggle command (undefined: follow the setting). */
  private override: boolean | undefined;
  /** Revealed keys per document, each with the timer that masks it again. */
  private readonly revealed = new Map<string, Map<string, NodeJS.Timeout>>();
  /** Targets per document version, so several editors of one document judge it once. */
  private readonly cache = new Map<string, { version: number; options: string; targets: MaskTarget[] }>();
  /** What is currently applied per document (for the test API). */
  private readonly applied = new Map<string, Range[]>();

  constructor(
    private readonly model: WorkspaceModel,
    private readonly logger: Logger,
  ) {
    this.disposables.push(
      this.decoration,
      this.stateChanged,
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && isMaskable(e.document)) this.refreshDocument(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('rekey.mask') || e.affectsConfiguration('rekey.kinds') || e.affectsConfiguration('rekey.notSecret')) {
          this.cache.clear();
          this.refreshAll();
          this.stateChanged.fire();
        }
      }),
      // Kind hints and the workspace config can change what counts as a secret (targets() notices).
      model.onDidChange(() => this.refreshAll()),
    );
    this.refreshAll();
  }

  isEnabled(uri?: vscode.Uri): boolean {
    return this.override ?? readSettings(uri).maskEnabled;
  }

  /** Flips masking for the session; returns the new state. */
  toggle(): boolean {
    const next = !this.isEnabled(vscode.window.activeTextEditor?.document.uri);
    this.override = next;
    if (next) this.clearReveals();
    this.refreshAll();
    this.logger.info(`secret masking ${next ? 'on' : 'off'} for this session`);
    this.stateChanged.fire();
    return next;
  }

  /** The secret entries of a document (value ranges), from the current buffer. */
  targets(doc: vscode.TextDocument): MaskTarget[] {
    const id = doc.uri.toString();
    const detectOptions = this.model.detectOptions(doc.uri);
    const options = optionsKey(detectOptions);
    const hit = this.cache.get(id);
    if (hit && hit.version === doc.version && hit.options === options) return hit.targets;
    const text = doc.getText();
    const targets = text.length > MAX_MASKED_TEXT ? [] : maskTargets(text, detectOptions);
    this.cache.set(id, { version: doc.version, options, targets });
    return targets;
  }

  /**
   * Shows the value of `key` in `doc` for `seconds`, then hides it again. Returns false when the
   * key holds no masked secret.
   */
  reveal(doc: vscode.TextDocument, key: string, seconds: number): boolean {
    if (!this.targets(doc).some((t) => t.key === key)) return false;
    const id = doc.uri.toString();
    let keys = this.revealed.get(id);
    if (!keys) {
      keys = new Map();
      this.revealed.set(id, keys);
    }
    const previous = keys.get(key);
    if (previous) clearTimeout(previous);
    const timer = setTimeout(() => {
      keys.delete(key);
      this.logger.info(`masked ${key} again`);
      this.refreshDocument(doc);
    }, seconds * 1000);
    keys.set(key, timer);
    this.logger.info(`revealed the value of ${key} for ${seconds} s`);
    this.refreshDocument(doc);
    return true;
  }

  revealedKeys(uri: vscode.Uri): string[] {
    return [...(this.revealed.get(uri.toString())?.keys() ?? [])].sort();
  }

  maskedRanges(uri: vscode.Uri): Range[] {
    return [...(this.applied.get(uri.toString()) ?? [])];
  }

  refreshAll(): void {
    const seen = new Set<string>();
    for (const editor of vscode.window.visibleTextEditors) {
      seen.add(editor.document.uri.toString());
      this.apply(editor);
    }
    for (const id of [...this.applied.keys()]) if (!seen.has(id)) this.applied.delete(id);
  }

  private refreshDocument(doc: vscode.TextDocument): void {
    for (const editor of vscode.window.visibleTextEditors) if (editor.document === doc) this.apply(editor);
  }

  private apply(editor: vscode.TextEditor): void {
    const doc = editor.document;
    if (!isMaskable(doc)) return;
    let ranges: Range[] = [];
    if (this.isEnabled(doc.uri)) {
      const open = this.revealed.get(doc.uri.toString());
      ranges = this.targets(doc).filter((t) => !open?.has(t.key)).map((t) => t.range);
    }
    editor.setDecorations(this.decoration, ranges.map(toRange));
    this.applied.set(doc.uri.toString(), ranges.map((r) => fromRange(toRange(r))));
  }

  private forget(uri: vscode.Uri): void {
    const id = uri.toString();
    this.cache.delete(id);
    this.applied.delete(id);
    const keys = this.revealed.get(id);
    if (keys) for (const t of keys.values()) clearTimeout(t);
    this.revealed.delete(id);
  }

  private clearReveals(): void {
    for (const keys of this.revealed.values()) for (const t of keys.values()) clearTimeout(t);
    this.revealed.clear();
  }

  dispose(): void {
    this.clearReveals();
    for (const d of this.disposables) d.dispose();
  }
}
