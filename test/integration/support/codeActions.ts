import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** The quick fixes VS Code offers for `diagnostic` (through the real code action provider API). */
export async function fixesFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
    'vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value,
  );
  return (actions ?? []).filter((a): a is vscode.CodeAction => 'kind' in a || 'edit' in a || 'diagnostics' in a);
}

/** The quick fix whose title matches `title` (fails listing the titles offered). */
export async function fix(uri: vscode.Uri, diagnostic: vscode.Diagnostic, title: RegExp): Promise<vscode.CodeAction> {
  const all = await fixesFor(uri, diagnostic);
  const found = all.find((a) => title.test(a.title));
  assert.ok(found, `no quick fix matching ${String(title)} (got: ${all.map((a) => a.title).join(' | ')})`);
  return found;
}

/** Applies a quick fix as VS Code would: its edit, then its command. */
export async function runFix(action: vscode.CodeAction): Promise<unknown> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit));
  if (action.command) return vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return undefined;
}
