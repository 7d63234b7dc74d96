import * as path from 'node:path';
import * as vscode from 'vscode';
import { renderRotationReport } from '../report/rotationReport';
import { summarizeAll } from '../tree/secretStatus';
import { showMarkdownPreview } from '../views/virtualDocuments';
import type { ExtensionServices } from '../services';
import { uriFromArg } from './secretTarget';

const REPORT_NAME = 'rotation-report.md';

function isoDay(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The report's Markdown for the workspace as the model knows it now. Value-free. */
export function buildRotationReport(ctx: ExtensionServices, now = new Date()): string {
  const notes = ctx.model.history().map((h) => {
    const state = h.status === 'done' ? `scanned${h.lastRun ? ` ${isoDay(h.lastRun)}` : ''}` : h.status.replace('-', ' ');
    return `git history of \`${h.folder.name}\`: ${state}${h.detail ? ` (${h.detail})` : ''}`;
  });
  return renderRotationReport(summarizeAll(ctx.model.files()), {
    now,
    ...(vscode.workspace.name ? { workspaceName: vscode.workspace.name } : {}),
    historyNotes: notes,
  });
}

/** Show Rotation Report: every secret's age, status, exposures and next due date, in the Markdown preview. */
export async function showRotationReportCommand(ctx: ExtensionServices, arg?: unknown): Promise<{ uri: string; text: string }> {
  await ctx.model.whenIdle();
  const text = buildRotationReport(ctx);
  const uri = ctx.docs.report.set(REPORT_NAME, text);
  if (!(arg && typeof arg === 'object' && (arg as { show?: unknown }).show === false)) await showMarkdownPreview(uri, ctx.logger);
  return { uri: uri.toString(), text };
}

/**
 * Export Rotation Report: writes the report as a Markdown file (save dialog, or `{ target }`).
 * The report holds no value, so it can be shared.
 */
export async function exportRotationReportCommand(ctx: ExtensionServices, arg?: unknown): Promise<string | undefined> {
  await ctx.model.whenIdle();
  const text = buildRotationReport(ctx);
  let target = uriFromArg(arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as { target?: unknown }).target : arg);
  if (!target) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const defaultUri = folder ? vscode.Uri.joinPath(folder, `rekey-rotation-report-${isoDay(new Date())}.md`) : undefined;
    target = await vscode.window.showSaveDialog({ title: 'rekey: Export Rotation Report', filters: { Markdown: ['md'] }, ...(defaultUri ? { defaultUri } : {}) });
    if (!target) return undefined;
  }
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  ctx.logger.info(`rotation report exported to ${target.fsPath}`);
  void ctx.notifier.info(`rekey: rotation report saved to ${path.basename(target.fsPath)}.`, 'Open').then((pick) => {
    if (pick && target) void vscode.window.showTextDocument(target);
  });
  return target.fsPath;
}
