import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileAnalysis } from '../model/types';
import type { ExtensionServices } from '../services';
import { uriFromArg } from './secretTarget';

/** `rekey.compareWithBackup` arguments. */
export interface CompareArgs {
  /** The live `.env` file. */
  uri?: vscode.Uri | string;
  /** Absolute path of the backup; without it the command asks. */
  backup?: string;
}

interface BackupPick {
  label: string;
  description?: string;
  detail?: string;
  backup: string;
  mtimeMs: number;
}

function when(ms: number): string {
  return new Date(ms).toLocaleString();
}

async function chooseFile(ctx: ExtensionServices, arg: unknown): Promise<FileAnalysis | undefined> {
  const given = uriFromArg(arg);
  if (given) return ctx.model.get(given);
  const active = vscode.window.activeTextEditor?.document.uri;
  const current = active ? ctx.model.get(active) : undefined;
  if (current && current.backups.length > 0) return current;
  const withBackups = ctx.model.files().filter((f) => f.role !== 'backup' && f.backups.length > 0);
  if (withBackups.length === 0) return undefined;
  if (withBackups.length === 1) return withBackups[0];
  const id = await ctx.prompter.pick(
    withBackups.map((a) => ({ id: a.uri.toString(), label: a.relativePath, description: `${a.backups.length} backup(s)` })),
    'rekey: Compare with Backup: which file?',
  );
  return withBackups.find((a) => a.uri.toString() === id);
}

/**
 * Compare with Backup: VS Code's diff editor, backup on the left, the file on the right. The diff
 * shows values on both sides; the quick pick says so before the user chooses.
 */
export async function compareWithBackupCommand(ctx: ExtensionServices, arg: unknown): Promise<{ backup: string; file: string } | undefined> {
  const args: CompareArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : {};
  const analysis = await chooseFile(ctx, arg);
  if (!analysis) {
    void ctx.notifier.info('rekey: no backup found for this workspace\'s .env files.');
    return undefined;
  }
  let backup = args.backup;
  if (!backup) {
    if (analysis.backups.length === 0) {
      void ctx.notifier.info(`rekey: no backup found for ${path.basename(analysis.uri.fsPath)}.`);
      return undefined;
    }
    const items: BackupPick[] = [];
    for (const b of analysis.backups) {
      const st = await fs.stat(b).catch(() => undefined);
      items.push({ label: `$(history) ${path.basename(b)}`, description: st ? when(st.mtimeMs) : '', detail: vscode.workspace.asRelativePath(b), backup: b, mtimeMs: st?.mtimeMs ?? 0 });
    }
    items.sort((a, b) => b.mtimeMs - a.mtimeMs);
    const id = await ctx.prompter.pick(
      items.map((i) => ({ id: i.backup, label: i.label, ...(i.description ? { description: i.description } : {}), ...(i.detail ? { detail: i.detail } : {}) })),
      `Compare ${path.basename(analysis.uri.fsPath)} with which backup? (newest first; the diff shows the secret values of both files)`,
    );
    if (!id) return undefined;
    backup = id;
  }
  const name = path.basename(analysis.uri.fsPath);
  await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(backup), analysis.uri, `${path.basename(backup)} ↔ ${name} (shows values)`);
  return { backup, file: analysis.uri.fsPath };
}
