import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ledger } from '../../core/age/ledger';
import type { Logger } from '../../core/log';
import { RotationError } from '../../core/rotation/errors';
import { BACKUP_SUFFIX, type RotationPlan } from '../../core/rotation/plan';
import { computeFileChanges, readBackMismatch, rotationChoices, type FileChange, type RotationEditOptions } from '../../core/rotation/rotationEdits';
import { ensureBackupIgnored, type ApplyResult } from '../../core/rotation/apply';
import { writeRotationBackup } from './rotationBackup';

/*
 * Applies a rotation plan inside VS Code: the same edits `rekey rotate` writes (core
 * `computeFileChanges`), but as one `WorkspaceEdit`, so Undo reverts the whole rotation. Order:
 * check nothing moved since planning, write the backups (before any change), edit, check what
 * dotenv reads from the edited buffers, save, record the rotation in the ledger.
 */

export interface EditorApplyOptions extends RotationEditOptions {
  trusted: boolean;
  logger: Logger;
  ledger?: Ledger;
}

/** What was done; value-free. The same report as `rekey rotate`, minus the plan's key and file. */
export type EditorApplyResult = Omit<ApplyResult, 'key' | 'file'>;

/** The current text of `file`: the open document's (possibly unsaved) buffer, else the disk's. */
async function currentText(file: string): Promise<string | undefined> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (doc) return doc.getText();
  return fs.readFile(file, 'utf8').catch(() => undefined);
}

function toRange(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

async function revert(changes: readonly FileChange[]): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  for (const c of changes) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(c.file));
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), c.oldText);
  }
  await vscode.workspace.applyEdit(edit);
}

/**
 * Applies `plan` as a `WorkspaceEdit`. Throws `RotationError` (`file-changed`, `write-failed`,
 * `verification-failed`, `blocked`) with a value-free message; after `verification-failed` the
 * buffers are put back as they were.
 */
export async function applyRotationInEditor(plan: RotationPlan, options: EditorApplyOptions): Promise<EditorApplyResult> {
  const { logger } = options;
  const choices = rotationChoices(plan, options);
  const changes = computeFileChanges(plan, options);
  const warnings: string[] = [];

  for (const c of changes) {
    if ((await currentText(c.file)) !== c.oldText) {
      throw new RotationError(`${path.basename(c.file)} changed since the rotation was planned; run Rotate Secret again`, 'file-changed');
    }
  }

  // 1. Backups of exactly the text being replaced, before anything changes.
  const files: EditorApplyResult['files'] = [];
  const gitignoreUpdated: string[] = [];
  try {
    for (const c of changes) {
      const base = c.file === plan.file ? plan.backupPath : c.file + BACKUP_SUFFIX;
      const backup = await writeRotationBackup(base, c.oldText, c.changedKeys, options.now ?? new Date());
      files.push({ file: c.file, backup, keys: c.changedKeys });
      const ig = await ensureBackupIgnored(backup, options.trusted, logger);
      if (ig.updated && !gitignoreUpdated.includes(ig.updated)) gitignoreUpdated.push(ig.updated);
      if (ig.warning) warnings.push(ig.warning);
    }
  } catch (err) {
    throw new RotationError(`could not write the backup (${(err as Error).message}); nothing was changed`, 'write-failed');
  }

  // 2. One edit for every file: a single Undo step.
  const edit = new vscode.WorkspaceEdit();
  for (const c of changes) {
    const uri = vscode.Uri.file(c.file);
    for (const e of c.edits) edit.replace(uri, toRange(e.range), e.newText);
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    throw new RotationError('VS Code refused the edit (is the file read-only?); nothing was changed, the backup stays', 'write-failed');
  }

  // 3. What dotenv reads from the edited buffers must be exactly the plan.
  for (const c of changes) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(c.file));
    const problem = readBackMismatch(doc.getText(), c.expected);
    if (problem) {
      await revert(changes);
      throw new RotationError(`after editing, dotenv does not read back the planned values from ${path.basename(c.file)} (${problem}); the edit was reverted`, 'verification-failed');
    }
  }

  // 4. Save, so every consumer that reads the file sees the new value.
  for (const c of changes) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(c.file));
    if (doc.isDirty && !(await doc.save())) warnings.push(`${path.basename(c.file)} was edited but not saved; save it to finish the rotation`);
  }

  // 5. The ledger: fingerprints and the date, never a value.
  const ledger = options.ledger;
  if (ledger && choices.mode === 'replace') {
    const when = options.now ?? new Date();
    for (const c of changes) {
      for (const k of c.changedKeys) {
        if (k === choices.keepPrevious) continue;
        const value = c.expected.get(k);
        const fp = value === undefined ? undefined : ledger.fingerprint(value);
        if (fp === undefined) continue;
        try {
          await ledger.recordRotation(c.file, k, fp, when);
        } catch (err) {
          warnings.push(`the rotation of ${k} was not recorded in the ledger (${(err as Error).message}); the # rotated comment still dates it`);
        }
      }
    }
  }

  const main = files.find((f) => f.file === plan.file);
  return {
    mode: choices.mode,
    ...(choices.newKey ? { newKey: choices.newKey } : {}),
    ...(choices.keepPrevious ? { keptPrevious: choices.keepPrevious } : {}),
    files,
    backup: main?.backup ?? plan.backupPath,
    gitignoreUpdated,
    warnings,
    date: choices.date,
  };
}
