import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { ensureBackupIgnored } from '../../core/rotation/apply';
import { RotationError } from '../../core/rotation/errors';
import { BACKUP_SUFFIX } from '../../core/rotation/plan';
import { readBackMismatch } from '../../core/rotation/rotationEdits';
import { planRetirement } from '../../core/rotation/zeroLogout/retire';
import { UserFacingError } from '../commands/registry';
import { writeRotationBackup } from './rotationBackup';

/*
 * The quick fix on `previous-secret-retirable`: the same edits as `rekey retire-previous`
 * (core `planRetirement`), applied as one WorkspaceEdit after a backup of the buffer's text, so
 * Undo brings the previous secret back.
 */

export interface RetireArgs {
  uri: vscode.Uri;
  key: string;
  /** Skip the confirmation (tests; the quick fix itself asks when the date has not come). */
  confirm?: boolean;
}

export interface RetireResult {
  retired: boolean;
  previousKey?: string;
  backup?: string;
}

/** Retires `key`'s previous secret in the document at `uri`. */
export async function retirePreviousInEditor(args: RetireArgs, options: { trusted: boolean; logger: Logger; confirm: (message: string, detail: string, action: string) => Promise<boolean> }): Promise<RetireResult> {
  const doc = await vscode.workspace.openTextDocument(args.uri);
  let plan;
  try {
    plan = planRetirement(args.uri.fsPath, doc.getText(), args.key);
  } catch (err) {
    if (err instanceof RotationError) throw new UserFacingError(`rekey: ${err.message}`);
    throw err;
  }
  const what = plan.layout === 'promote'
    ? `Moves the new value from ${plan.previousKey} into ${plan.key} and removes ${plan.previousKey}; nobody is logged out.`
    : `Removes ${plan.previousKey}; after the next restart, sessions still signed with the previous ${plan.key} are rejected.`;
  if (args.confirm !== true) {
    const detail = `${what}${plan.due ? '' : ` The retire-by date (${plan.retireBy}) has not come: sessions signed with the old value may still be in use.`} A backup is written first; Undo restores it.`;
    if (!(await options.confirm(`Retire the previous ${plan.key}?`, detail, 'Retire'))) return { retired: false };
  }
  const backup = await writeRotationBackup(args.uri.fsPath + BACKUP_SUFFIX, plan.oldText, [plan.key], new Date());
  const ig = await ensureBackupIgnored(backup, options.trusted, options.logger);
  if (ig.warning) options.logger.warn(ig.warning);
  const edit = new vscode.WorkspaceEdit();
  for (const e of plan.edits) edit.replace(args.uri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
  if (!(await vscode.workspace.applyEdit(edit))) throw new UserFacingError('rekey: VS Code refused the edit (is the file read-only?); nothing was changed, the backup stays');
  const problem = readBackMismatch(doc.getText(), plan.expected);
  if (problem) {
    const undo = new vscode.WorkspaceEdit();
    undo.replace(args.uri, new vscode.Range(0, 0, doc.lineCount, 0), plan.oldText);
    await vscode.workspace.applyEdit(undo);
    throw new UserFacingError(`rekey: after editing, dotenv does not read back the planned values (${problem}); the edit was reverted`);
  }
  await doc.save();
  options.logger.info(`retired ${plan.previousKey} in ${path.basename(args.uri.fsPath)}; backup ${backup}`);
  return { retired: true, previousKey: plan.previousKey, backup };
}
