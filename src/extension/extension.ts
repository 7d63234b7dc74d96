import * as vscode from 'vscode';

/** The small API `activate()` returns; integration tests use it instead of importing internals. */
export interface RekeyApi {
  readonly version: string;
}

export function activate(context: vscode.ExtensionContext): RekeyApi {
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
  return { version };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
