import type * as vscode from 'vscode';

/*
 * Stand-ins for the two VS Code value types the model's units hold but never call into: a
 * file URI and a workspace folder. The units import `vscode` for types only, so plain mocha can
 * run them with these.
 */

export function fileUri(fsPath: string): vscode.Uri {
  return { scheme: 'file', fsPath, path: fsPath, toString: () => `file://${fsPath}` } as unknown as vscode.Uri;
}

export function folder(fsPath: string, index = 0): vscode.WorkspaceFolder {
  return { uri: fileUri(fsPath), name: fsPath.split('/').pop() ?? fsPath, index };
}
