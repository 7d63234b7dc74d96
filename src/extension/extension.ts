import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { Ledger } from '../core/age/ledger';
import { openFingerprinter, type Fingerprinter } from '../core/state/fingerprint';
import { createApi, type RekeyApi } from './api';
import { AnnotationCompletionProvider } from './completion/annotationCompletionProvider';
import { QuickFixProvider } from './codeActions/quickFixProvider';
import { registerCommands } from './commands/table';
import { EnvFixProvider } from './codeActions/envFixProvider';
import { DiagnosticsController } from './diagnostics/diagnosticsController';
import { SecretHoverProvider } from './hover/secretHoverProvider';
import { createLogger, LogMemory } from './log';
import { MaskingController } from './masking/maskingController';
import { MaskingStateController } from './masking/maskingStateController';
import { SearchExclusionController } from './search/searchExclusionController';
import { CodeCompletionProvider } from './code/codeCompletionProvider';
import { CodeDefinitionProvider } from './code/codeDefinitionProvider';
import { CodeHoverProvider } from './code/codeHoverProvider';
import { CODE_SELECTOR } from './code/envKeyIndex';
import { UndefinedKeysController } from './code/undefinedKeysController';
import { EnvWorkspaceModel } from './model/workspaceModel';
import { Notifier } from './notifier';
import { Prompter } from './prompter';
import { NewValueClipboard } from './rotation/newValueClipboard';
import { readSettings } from './settings';
import type { ExtensionServices } from './services';
import { SettingsSnapshots } from './settingsSnapshots';
import { HookController } from './hooks/hookController';
import { SecretsViewController } from './tree/secretsView';
import { createGeneratedDocuments, ViewsController } from './views/register';
import { stateDir as userStateDir } from '../core/state/stateDir';

export type { RekeyApi } from './api';

/** `.env`-family documents in any scheme (files, git revisions, diff sides). */
const ENV_SELECTOR: vscode.DocumentSelector = [{ language: 'dotenv' }, { pattern: '**/{.env*,*.env*}' }];

/**
 * Wires the features; each is a Disposable pushed into `context.subscriptions`. Nothing here reads
 * the workspace: the model starts discovery in the background, so activation stays cheap.
 */
export function activate(context: vscode.ExtensionContext): RekeyApi {
  const started = performance.now();
  const phases: Record<string, number> = {};
  let last = started;
  const mark = (phase: string) => {
    const now = performance.now();
    phases[phase] = Number((now - last).toFixed(2));
    last = now;
  };
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
  const channel = vscode.window.createOutputChannel('rekey', { log: true });
  const logs = new LogMemory();
  const logger = createLogger(channel, logs);
  const notifier = new Notifier(logger, channel);
  const prompter = new Prompter();
  // The CLI's state folder, not the extension's storage: one ledger and one fingerprint key, so
  // the editor and `rekey ages` give the same age for the same value.
  const stateDir = userStateDir();
  // Before the model, whose listeners must read the settings fresh after a change.
  const settings = new SettingsSnapshots(logger);
  const model = new EnvWorkspaceModel({ logger, notifier, stateDir, workspaceState: context.workspaceState, settings });
  const trustGranted = new vscode.EventEmitter<void>();
  let fingerprinter: Promise<Fingerprinter | undefined> | undefined;
  const openStateFingerprinter = (): Promise<Fingerprinter | undefined> =>
    (fingerprinter ??= openFingerprinter(stateDir, { create: true }).catch((err: unknown) => {
      logger.warn(`fingerprints unavailable: ${(err as Error).message}`);
      return undefined;
    }));
  const docs = createGeneratedDocuments();
  const newValues = new NewValueClipboard({ logger, notifier, prompter, clearAfterSeconds: () => readSettings().clipboardClearSeconds });
  const tree = new SecretsViewController(model);

  const services: ExtensionServices = {
    context,
    model,
    logger,
    channel,
    notifier,
    prompter,
    settings: (scope) => settings.of(scope).settings,
    stateDir,
    isTrusted: () => vscode.workspace.isTrusted,
    onDidGrantTrust: trustGranted.event,
    shortFingerprint: async (value) => (await openStateFingerprinter())?.short(value),
    fingerprinter: () => openStateFingerprinter(),
    extensionUri: context.extensionUri,
    docs,
    openLedger: async () => {
      try {
        return await Ledger.open(stateDir);
      } catch (err) {
        logger.warn(`the rotation will not be recorded in the ledger (${(err as Error).message})`);
        return undefined;
      }
    },
    newValues,
    selectedSecret: () => {
      const node = tree.view.visible ? tree.selectedSecret() : undefined;
      return node ? { uri: node.uri, key: node.key } : undefined;
    },
  };

  mark('services');
  const masking = new MaskingController(model, logger);
  const maskingState = new MaskingStateController(masking, services);
  const search = new SearchExclusionController(services);
  mark('masking');
  context.subscriptions.push(
    channel,
    settings,
    trustGranted,
    vscode.workspace.onDidGrantWorkspaceTrust(() => trustGranted.fire()),
    model,
    new DiagnosticsController(model),
    masking,
    vscode.languages.registerHoverProvider(ENV_SELECTOR, new SecretHoverProvider(services, masking)),
    vscode.languages.registerCodeActionsProvider(ENV_SELECTOR, new QuickFixProvider(services), { providedCodeActionKinds: QuickFixProvider.kinds }),
    vscode.languages.registerCodeActionsProvider(ENV_SELECTOR, new EnvFixProvider(), { providedCodeActionKinds: EnvFixProvider.kinds }),
    vscode.languages.registerCompletionItemProvider(ENV_SELECTOR, new AnnotationCompletionProvider(), ...AnnotationCompletionProvider.triggerCharacters),
    maskingState,
    search,
    // rekey where secrets are read: hover, Go to Definition, key completion, undefined keys.
    vscode.languages.registerHoverProvider(CODE_SELECTOR, new CodeHoverProvider(model)),
    vscode.languages.registerDefinitionProvider(CODE_SELECTOR, new CodeDefinitionProvider(model)),
    vscode.languages.registerCompletionItemProvider(CODE_SELECTOR, new CodeCompletionProvider(model), ...CodeCompletionProvider.triggerCharacters),
    new UndefinedKeysController(model),
  );
  mark('editor features');

  // The Secrets view, the generated documents and the status bar item.
  const views = new ViewsController(model, tree, docs);
  context.subscriptions.push(docs, tree, views, newValues);
  mark('views');

  // Git hooks: the one-time offer (the command is in the table).
  const hooks = new HookController(context, services);
  context.subscriptions.push(hooks);
  mark('git hooks');

  context.subscriptions.push(...registerCommands({ services, masking, tree, hooks, maskingState, search }));
  mark('commands');

  model.start();
  mark('model start');
  const activationMs = performance.now() - started;
  logger.info(`rekey ${version} activated in ${activationMs.toFixed(1)} ms (${Object.entries(phases).map(([k, v]) => `${k} ${v}`).join(', ')}; workspace trusted: ${vscode.workspace.isTrusted})`);
  return createApi({
    version,
    activationMs,
    activationPhases: phases,
    model,
    logs,
    notifier,
    prompter,
    masking,
    maskingState,
    views,
    testMode: context.extensionMode === vscode.ExtensionMode.Test,
  });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
