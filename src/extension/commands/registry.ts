import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import type { Notifier } from '../notifier';

/** A user-facing failure: shown as is, without "Show Logs" noise. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}

/**
 * Registers a command whose failures are logged and shown once through the {@link Notifier}
 * (with "Show Logs" unless the error is a {@link UserFacingError}), instead of VS Code's generic
 * "command resulted in an error". The notifier remembers the text, so never-leak tests see it.
 * Messages must never contain values.
 */
export function registerCommand(
  id: string,
  handler: (...args: unknown[]) => unknown,
  logger: Logger,
  notifier: Notifier,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      if (err instanceof vscode.CancellationError) return undefined;
      const message = err instanceof Error ? err.message : String(err);
      logger.error(`${id} failed: ${message}`);
      if (err instanceof UserFacingError) notifier.error(message, { log: false, showLogs: false });
      else notifier.error(`rekey: ${message}`, { log: false });
      return undefined;
    }
  });
}
