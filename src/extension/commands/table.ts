import type * as vscode from 'vscode';
import {
  addToGitignore, fixBackupPermissions, restoreFromBackup, retirePrevious, retireRotationBackup, setKind, untrackFile,
} from '../codeActions/quickFixCommands';
import { rotateSecretLiveCommand } from '../rotation/liveRotation';
import type { HookController } from '../hooks/hookController';
import type { MaskingController } from '../masking/maskingController';
import type { MaskingStateController } from '../masking/maskingStateController';
import type { SearchExclusionController } from '../search/searchExclusionController';
import { revealValueCommand, toggleMaskingCommand } from '../masking/maskingCommands';
import type { ExtensionServices } from '../services';
import type { SecretsViewController } from '../tree/secretsView';
import { compareWithBackupCommand, revealBackupDiffCommand } from './compareWithBackup';
import { generateSecretCommand } from './generateSecret';
import { insertRunbookCommand, openRunbookCommand } from './insertRunbook';
import { registerCommand } from './registry';
import { rotateSecretCommand } from './rotateSecret';
import { exportRotationReportCommand, showRotationReportCommand } from './rotationReport';
import { scanHistoryCommand } from './scanHistory';
import { verifySecretsCommand } from './verifySecrets';
import { copyKeyNameCommand, revealValueFromViewCommand, showConsumersCommand, showInFileCommand } from './secretActions';
import { createEnvFromExampleCommand, openDocsCommand } from './welcome';

/** What command handlers may use: the services plus the controllers that own a command's state. */
export interface CommandHost {
  readonly services: ExtensionServices;
  readonly masking: MaskingController;
  readonly tree: SecretsViewController;
  readonly hooks: HookController;
  readonly maskingState: MaskingStateController;
  readonly search: SearchExclusionController;
}

type CommandHandler = (host: CommandHost, arg?: unknown) => unknown;

/**
 * Every command rekey contributes, id to handler; package.json `contributes.commands` lists the
 * same ids (an integration test checks both ways). Adding a command is one line here plus its
 * package.json entry.
 */
export const COMMANDS = {
  'rekey.rotateSecret': (h, arg) => rotateSecretCommand(h.services, arg),
  'rekey.generateSecret': (h, arg) => generateSecretCommand(h.services, arg),
  'rekey.verifySecrets': (h, arg) => verifySecretsCommand(h.services, arg),
  'rekey.rotateSecretLive': (h, arg) => rotateSecretLiveCommand(h.services, arg),
  'rekey.insertRunbook': (h, arg) => insertRunbookCommand(h.services, arg),
  'rekey.copyNewValue': (h, arg) => h.services.newValues.copy(arg),
  'rekey.compareWithBackup': (h, arg) => compareWithBackupCommand(h.services, arg),
  'rekey.revealBackupDiff': (h, arg) => revealBackupDiffCommand(h.services, arg),
  'rekey.scanHistory': (h) => scanHistoryCommand(h.services),
  'rekey.showRotationReport': (h, arg) => showRotationReportCommand(h.services, arg),
  'rekey.exportRotationReport': (h, arg) => exportRotationReportCommand(h.services, arg),
  'rekey.createEnvFromExample': (h, arg) => createEnvFromExampleCommand(h.services, arg),
  'rekey.openDocs': (h) => openDocsCommand(h.services),
  'rekey.refresh': async (h) => {
    await h.services.model.refresh();
    await h.services.model.whenIdle();
  },
  'rekey.toggleMasking': (h) => toggleMaskingCommand(h.masking, h.services),
  'rekey.revealValue': (h, arg) => revealValueCommand(h.masking, h.services, arg),
  'rekey.maskValues': (h) => h.maskingState.set(true),
  'rekey.showValues': (h) => h.maskingState.set(false),
  // Search and Quick Open leave .env files out: open them from a picker, or include them again.
  'rekey.openEnvFile': (h) => h.search.openEnvFile(),
  'rekey.includeEnvInSearch': (h) => h.search.includeInSearch(),
  'rekey.excludeEnvFromSearch': (h) => h.search.excludeFromSearch(),
  'rekey.installGitHooks': (h, arg) => h.hooks.installCommand(arg),
  'rekey.showLogs': (h) => h.services.channel.show(true),
  // Quick fixes: run from code actions, hidden from the palette.
  'rekey.addToGitignore': (h, arg) => addToGitignore(h.services, arg),
  'rekey.untrackFile': (h, arg) => untrackFile(h.services, arg),
  'rekey.restoreFromBackup': (h, arg) => restoreFromBackup(h.services, arg),
  'rekey.fixBackupPermissions': (h, arg) => fixBackupPermissions(h.services, arg),
  'rekey.setKind': (h, arg) => setKind(h.services, arg),
  'rekey.retirePrevious': (h, arg) => retirePrevious(h.services, arg),
  'rekey.retireRotationBackup': (h, arg) => retireRotationBackup(h.services, arg),
  // The Secrets view's per-secret actions.
  'rekey.copyKeyName': (h, arg) => copyKeyNameCommand(h.services, arg),
  'rekey.showInFile': (h, arg) => showInFileCommand(h.services, arg),
  'rekey.revealValueFromView': (h, arg) => revealValueFromViewCommand(h.services, arg),
  'rekey.openRunbook': (h, arg) => openRunbookCommand(h.services, arg),
  'rekey.showConsumers': (h, arg) => showConsumersCommand(h.services, arg),
  // The Secrets view's toolbar: filter and sort.
  'rekey.filterNeedsAttention': (h) => h.tree.setFilter('attention'),
  'rekey.filterAll': (h) => h.tree.setFilter('all'),
  'rekey.sortByAge': (h) => h.tree.setSort('age'),
  'rekey.sortByName': (h) => h.tree.setSort('name'),
  'rekey.sortByFile': (h) => h.tree.setSort('file'),
} as const satisfies Record<`rekey.${string}`, CommandHandler>;

/** A command id rekey registers: exactly the keys of {@link COMMANDS}. */
export type CommandId = keyof typeof COMMANDS;

/** Registers every command of {@link COMMANDS} through the one error-catching helper. */
export function registerCommands(host: CommandHost): vscode.Disposable[] {
  const { logger, notifier } = host.services;
  return Object.entries(COMMANDS).map(([id, handler]: [string, CommandHandler]) =>
    registerCommand(id, (arg?: unknown) => handler(host, arg), logger, notifier),
  );
}
