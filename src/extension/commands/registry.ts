import * as vscode from 'vscode';
import type { Logger } from '../../core/log';

/** Every command id rekey contributes (package.json `contributes.commands` lists the same). */
export const COMMAND_IDS = {
  rotateSecret: 'rekey.rotateSecret',
  generateSecret: 'rekey.generateSecret',
  insertRunbook: 'rekey.insertRunbook',
  compareWithBackup: 'rekey.compareWithBackup',
  scanHistory: 'rekey.scanHistory',
  showRotationReport: 'rekey.showRotationReport',
  toggleMasking: 'rekey.toggleMasking',
  revealValue: 'rekey.revealValue',
  refresh: 'rekey.refresh',
  installGitHooks: 'rekey.installGitHooks',
  showLogs: 'rekey.showLogs',
  // Quick fixes (issue 7): run from code actions, hidden from the palette.
  addToGitignore: 'rekey.addToGitignore',
  untrackFile: 'rekey.untrackFile',
  restoreFromBackup: 'rekey.restoreFromBackup',
  fixBackupPermissions: 'rekey.fixBackupPermissions',
  setKind: 'rekey.setKind',
  // The Secrets view (issue 8): report export, welcome view, per-secret actions, filter and sort.
  exportRotationReport: 'rekey.exportRotationReport',
  createEnvFromExample: 'rekey.createEnvFromExample',
  openDocs: 'rekey.openDocs',
  copyKeyName: 'rekey.copyKeyName',
  showInFile: 'rekey.showInFile',
  revealValueFromView: 'rekey.revealValueFromView',
  openRunbook: 'rekey.openRunbook',
  showConsumers: 'rekey.showConsumers',
  filterNeedsAttention: 'rekey.filterNeedsAttention',
  filterAll: 'rekey.filterAll',
  sortByAge: 'rekey.sortByAge',
  sortByName: 'rekey.sortByName',
  sortByFile: 'rekey.sortByFile',
  // Editor: masking state, opening .env files (kept out of Quick Open), fixes, code references.
  maskValues: 'rekey.maskValues',
  showValues: 'rekey.showValues',
  openEnvFile: 'rekey.openEnvFile',
  includeEnvInSearch: 'rekey.includeEnvInSearch',
} as const;

export type CommandId = (typeof COMMAND_IDS)[keyof typeof COMMAND_IDS] | `rekey.${string}`;

/** A user-facing failure: shown as is, without "Show Logs" noise. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}

/**
 * Registers a command whose failures are logged and shown once with "Show Logs", instead of
 * VS Code's generic "command resulted in an error". Messages must never contain values.
 */
export function registerCommand(
  id: CommandId,
  handler: (...args: unknown[]) => unknown,
  logger: Logger,
  channel: vscode.LogOutputChannel,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      if (err instanceof vscode.CancellationError) return undefined;
      const message = err instanceof Error ? err.message : String(err);
      logger.error(`${id} failed: ${message}`);
      if (err instanceof UserFacingError) {
        void vscode.window.showErrorMessage(message);
      } else {
        void vscode.window.showErrorMessage(`rekey: ${message}`, 'Show Logs').then((pick) => {
          if (pick === 'Show Logs') channel.show(true);
        });
      }
      return undefined;
    }
  });
}
