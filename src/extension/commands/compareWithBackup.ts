import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeBackupChanges } from '../../core/backup/compare';
import { parseEnv } from '../../core/env/parse';
import { readEnvFile } from '../../core/fs/readTextFile';
import { comparisonCounts, comparisonSummary, renderComparisonMarkdown } from '../backup/comparisonMarkdown';
import { revealedDiffDocuments } from '../backup/revealedDiff';
import type { FileAnalysis } from '../model/types';
import type { ExtensionServices } from '../services';
import { docName, showMarkdownPreview } from '../views/virtualDocuments';
import { UserFacingError } from './registry';
import { uriFromArg } from './secretTarget';

/** `rekey.compareWithBackup` and `rekey.revealBackupDiff` arguments. */
export interface CompareArgs {
  /** The live `.env` file. */
  uri?: vscode.Uri | string;
  /** Absolute path of the backup; without it the command asks. */
  backup?: string;
  /** Reveal only: skip the confirmation (the caller already asked). */
  confirm?: boolean;
}

/** What Compare with Backup returns: value-free. */
export interface CompareResult {
  backup: string;
  file: string;
  /** The comparison document (`rekey-report:` Markdown). */
  documentUri: string;
  counts: { changed: number; added: number; removed: number; unchanged: number };
}

function when(ms: number): string {
  return new Date(ms).toLocaleString();
}

function argsOf(arg: unknown): CompareArgs {
  return arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : {};
}

async function chooseFile(ctx: ExtensionServices, arg: unknown, title: string): Promise<FileAnalysis | undefined> {
  const given = uriFromArg(arg);
  if (given) return ctx.model.get(given);
  const active = vscode.window.activeTextEditor?.document.uri;
  const current = active ? ctx.model.get(active) : undefined;
  if (current && current.backups.length > 0) return current;
  const withBackups = ctx.model.files().filter((f) => f.role !== 'backup' && f.backups.length > 0);
  if (withBackups.length === 0) return undefined;
  if (withBackups.length === 1) return withBackups[0];
  const id = await ctx.prompter.pick(
    withBackups.map((a) => ({ id: a.uri.toString(), label: a.relativePath, description: `${a.backups.length} backup${a.backups.length === 1 ? '' : 's'}` })),
    'Which file?',
    { title },
  );
  return withBackups.find((a) => a.uri.toString() === id);
}

/** The file and the backup to compare: from the arguments, else asked (newest backup first). */
async function chooseFileAndBackup(ctx: ExtensionServices, arg: unknown, title: string): Promise<{ analysis: FileAnalysis; backup: string } | undefined> {
  const args = argsOf(arg);
  const analysis = await chooseFile(ctx, arg, title);
  if (!analysis) {
    void ctx.notifier.info('rekey: no backup found for this workspace\'s .env files.');
    return undefined;
  }
  if (args.backup) return { analysis, backup: args.backup };
  if (analysis.backups.length === 0) {
    void ctx.notifier.info(`rekey: no backup found for ${path.basename(analysis.uri.fsPath)}.`);
    return undefined;
  }
  const items: Array<{ id: string; label: string; description: string; detail: string; mtimeMs: number }> = [];
  for (const b of analysis.backups) {
    const st = await fs.stat(b).catch(() => undefined);
    items.push({ id: b, label: `$(history) ${path.basename(b)}`, description: st ? when(st.mtimeMs) : '', detail: vscode.workspace.asRelativePath(b), mtimeMs: st?.mtimeMs ?? 0 });
  }
  items.sort((a, b) => b.mtimeMs - a.mtimeMs);
  const backup = await ctx.prompter.pick(
    items.map(({ mtimeMs: _mtime, ...i }) => i),
    `Compare ${path.basename(analysis.uri.fsPath)} with which backup? (newest first)`,
    { title },
  );
  return backup ? { analysis, backup } : undefined;
}

/** The live file's text as the editor has it (unsaved changes count), else the disk's. */
async function liveText(uri: vscode.Uri): Promise<string> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc) return doc.getText();
  const r = await readEnvFile(uri.fsPath);
  if (!r.ok) throw new UserFacingError(`rekey: cannot read ${vscode.workspace.asRelativePath(uri)}: ${r.message}`);
  return r.text;
}

/**
 * Compare with Backup: the file against one of its backups key by key (changed, added, removed,
 * same) with kinds, short keyed fingerprints and the impact of each changed secret, in a
 * read-only Markdown document. Values stay hidden; **Reveal Values in Backup Diff** shows them
 * after asking. The comparison is core's `describeBackupChanges`, as for `rekey diff-backup`.
 */
export async function compareWithBackupCommand(ctx: ExtensionServices, arg: unknown): Promise<CompareResult | undefined> {
  const chosen = await chooseFileAndBackup(ctx, arg, 'rekey: Compare with Backup');
  if (!chosen) return undefined;
  const { analysis, backup } = chosen;
  const backupRead = await readEnvFile(backup);
  if (!backupRead.ok) throw new UserFacingError(`rekey: cannot read ${vscode.workspace.asRelativePath(backup)}: ${backupRead.message}`);
  const live = await liveText(analysis.uri);
  const fingerprinter = await ctx.fingerprinter();
  const changes = describeBackupChanges(
    { text: live, parsed: parseEnv(live) },
    { text: backupRead.text, parsed: parseEnv(backupRead.text) },
    { detect: ctx.model.detectOptions(analysis.uri), includeUnchanged: true, ...(fingerprinter ? { fingerprinter } : {}) },
  );
  const st = await fs.stat(backup).catch(() => undefined);
  const file = vscode.workspace.asRelativePath(analysis.uri);
  const shownBackup = vscode.workspace.asRelativePath(backup);
  const markdown = renderComparisonMarkdown({
    file, backup: shownBackup, changes, fingerprints: fingerprinter !== undefined, ...(st ? { backupWhen: when(st.mtimeMs) } : {}),
  });
  const uri = ctx.docs.report.set(`${docName(`Compare ${file} with ${path.basename(backup)}`)}.md`, markdown);
  await showMarkdownPreview(uri, ctx.logger);
  ctx.logger.info(`compared ${file} with ${shownBackup}: ${comparisonSummary(changes)}`);
  const summary = `rekey: ${path.basename(analysis.uri.fsPath)} against ${path.basename(backup)}: ${comparisonSummary(changes)}.`;
  void ctx.notifier.info(summary, 'Reveal Values in Diff…').then((pick) => {
    if (pick) void vscode.commands.executeCommand('rekey.revealBackupDiff', { uri: analysis.uri.toString(), backup });
  });
  return { backup, file: analysis.uri.fsPath, documentUri: uri.toString(), counts: comparisonCounts(changes) };
}

/**
 * Reveal Values in Backup Diff: VS Code's diff editor with both files' values visible, after a
 * modal confirmation. Both sides are read-only snapshots under their own scheme, which masking
 * leaves alone; the masked editors of the files themselves stay masked.
 */
export async function revealBackupDiffCommand(ctx: ExtensionServices, arg: unknown): Promise<{ backup: string; file: string; revealed: boolean } | undefined> {
  const args = argsOf(arg);
  const chosen = await chooseFileAndBackup(ctx, arg, 'rekey: Reveal Values in Backup Diff');
  if (!chosen) return undefined;
  const { analysis, backup } = chosen;
  const name = path.basename(analysis.uri.fsPath);
  const result = { backup, file: analysis.uri.fsPath };
  if (args.confirm !== true) {
    const ok = await ctx.prompter.confirm(
      `Show the values of ${name} and ${path.basename(backup)}?`,
      'The diff editor shows every value of both files in clear, secrets included, to anyone who can see your screen. The snapshots are read-only and forgotten when the diff closes.',
      'Reveal Values',
    );
    if (!ok) return { ...result, revealed: false };
  }
  const backupRead = await readEnvFile(backup);
  if (!backupRead.ok) throw new UserFacingError(`rekey: cannot read ${vscode.workspace.asRelativePath(backup)}: ${backupRead.message}`);
  const docs = revealedDiffDocuments(ctx);
  const left = docs.snapshot(backup, backupRead.text);
  const right = docs.snapshot(analysis.uri.fsPath, await liveText(analysis.uri));
  ctx.logger.info(`revealed the values of ${vscode.workspace.asRelativePath(analysis.uri)} and ${vscode.workspace.asRelativePath(backup)} in a diff (asked)`);
  await vscode.commands.executeCommand('vscode.diff', left, right, `${path.basename(backup)} ↔ ${name} (values shown)`);
  return { ...result, revealed: true };
}
