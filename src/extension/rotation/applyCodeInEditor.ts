import * as vscode from 'vscode';
import { BACKUP_SUFFIX } from '../../core/rotation/plan';
import type { CodeChange } from '../../core/rotation/zeroLogout/codeEdits';
import { writeCodeBackup } from './rotationBackup';

/*
 * The code side of a zero-logout rotation in the editor: one WorkspaceEdit whose edits need
 * confirmation, so VS Code opens its refactor preview and nothing is written unless the user
 * applies it there. With `preview: false` (the caller already confirmed) it applies directly.
 */

/** Applies `changes`; returns false when the user discarded the preview (nothing changed). */
export async function applyCodeChangesInEditor(changes: readonly CodeChange[], preview: boolean): Promise<{ applied: boolean; backups: string[] }> {
  const edit = new vscode.WorkspaceEdit();
  for (const c of changes) {
    const uri = vscode.Uri.file(c.file);
    const meta: vscode.WorkspaceEditEntryMetadata = { label: c.description, needsConfirmation: preview, description: 'keeps existing sessions valid' };
    for (const e of c.edits) edit.replace(uri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText, meta);
  }
  for (const c of changes) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(c.file));
    if (doc.getText() !== c.oldText) throw new Error(`${c.file} changed since the rotation was planned; run Rotate Secret again`);
  }
  const backups: string[] = [];
  for (const c of changes) backups.push(await writeCodeBackup(c.file + BACKUP_SUFFIX, c.oldText));
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) return { applied: false, backups };
  for (const c of changes) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(c.file));
    if (doc.getText() !== c.newText) return { applied: false, backups };
    if (doc.isDirty) await doc.save();
  }
  return { applied: true, backups };
}
