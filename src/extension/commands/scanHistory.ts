import * as vscode from 'vscode';
import type { HistoryState } from '../model/types';
import { summarizeAll } from '../tree/secretStatus';
import type { ExtensionServices } from '../services';

/** Value-free result of a history scan, per workspace folder. */
export interface ScanHistoryResult {
  cancelled: boolean;
  folders: Array<{ folder: string; status: HistoryState['status']; detail?: string }>;
  /** Secrets whose current value is in git history. */
  leaked: number;
}

/**
 * Scan Git History: runs the model's history rules with a cancellable progress notification.
 * Results reach the diagnostics and the Secrets view through the model. In untrusted
 * workspaces git does not run; the model says why.
 */
export async function scanHistoryCommand(ctx: ExtensionServices): Promise<ScanHistoryResult> {
  let cancelled = false;
  if (!ctx.isTrusted()) {
    void ctx.notifier.info('rekey: git history is not scanned in an untrusted workspace (git could run code from the repository\'s configuration). Trust the workspace to scan it.');
  } else {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'rekey: scanning git history', cancellable: true },
      async (progress, token) => {
        try {
          await ctx.model.scanHistory(token, progress);
        } catch (err) {
          if (token.isCancellationRequested || err instanceof vscode.CancellationError) {
            cancelled = true;
            return;
          }
          throw err;
        }
        cancelled = token.isCancellationRequested;
      },
    );
  }
  const folders = ctx.model.history().map((h) => ({ folder: h.folder.name, status: h.status, ...(h.detail ? { detail: h.detail } : {}) }));
  const leaked = summarizeAll(ctx.model.files()).filter((s) => !s.suppressed && s.statuses.includes('leaked')).length;
  if (ctx.isTrusted() && !cancelled) {
    const problems = folders.filter((f) => f.status !== 'done' && f.detail).map((f) => `${f.folder}: ${f.detail ?? ''}`);
    const scanned = folders.filter((f) => f.status === 'done').length;
    const where = `${scanned} folder${scanned === 1 ? '' : 's'}`;
    const text = leaked > 0
      ? `rekey: ${leaked} leaked value${leaked === 1 ? '' : 's'} found in the git history of ${where}: rotate ${leaked === 1 ? 'it' : 'them'}.`
      : `rekey: no leaked values in the git history of ${where}.`;
    void ctx.notifier.info(problems.length ? `${text} (${problems.join('; ')})` : text);
  }
  return { cancelled, folders, leaked };
}
