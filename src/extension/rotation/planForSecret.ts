import * as path from 'node:path';
import * as vscode from 'vscode';
import { RotationError } from '../../core/rotation/errors';
import { planRotation, type PlanOptions, type RotationPlan } from '../../core/rotation/plan';
import { UserFacingError } from '../commands/registry';
import type { SecretRef } from '../commands/secretTarget';
import type { ExtensionServices } from '../services';

/** The folder consumers are searched in: the secret's workspace folder, else the file's folder. */
export function workspaceRootOf(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
}

/**
 * Plans the rotation of a secret with the user's settings, the editor's current text and a
 * cancellable progress notification (the planner scans the workspace for consumers). git runs
 * only in trusted workspaces.
 * @throws UserFacingError when the key or file cannot be planned; CancellationError when cancelled.
 */
export async function planForSecret(ctx: ExtensionServices, ref: SecretRef, extra: PlanOptions = {}, title = `rekey: planning the rotation of ${ref.key}…`): Promise<RotationPlan> {
  const root = workspaceRootOf(ref.uri);
  const settings = ctx.settings(ref.uri);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === ref.uri.toString());
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      return await planRotation({
        workspaceRoot: root,
        file: ref.uri.fsPath,
        key: ref.key,
        options: {
          trusted: ctx.isTrusted(),
          logger: ctx.logger,
          signal: abort.signal,
          maxBytes: settings.maxFileSizeKB * 1024,
          // The model's detection options: `.rekey.json`, settings and kind hints from the code.
          detect: ctx.model.detectOptions(ref.uri),
          ...(open ? { text: open.getText() } : {}),
          ...extra,
        },
      });
    } catch (err) {
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      if (err instanceof RotationError) throw new UserFacingError(`rekey: ${err.message}`);
      throw err;
    } finally {
      sub.dispose();
    }
  });
}
