import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { openFingerprinter, type Fingerprinter } from '../core/state/fingerprint';
import { createApi, type RekeyApi } from './api';
import { AnnotationCompletionProvider } from './completion/annotationCompletionProvider';
import { QuickFixProvider } from './codeActions/quickFixProvider';
import { EnvFixProvider } from './codeActions/envFixProvider';
import { registerQuickFixCommands } from './codeActions/quickFixCommands';
import { COMMAND_IDS, registerCommand } from './commands/registry';
import { DiagnosticsController } from './diagnostics/diagnosticsController';
import { SecretHoverProvider } from './hover/secretHoverProvider';
import { createLogger, LogMemory } from './log';
import { registerMaskingCommands } from './masking/maskingCommands';
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
import type { ExtensionServices } from './services';
import { readSettings } from './settings';
import { HookController } from './hooks/hookController';
import { registerViewsAndCommands, viewsApiOf } from './views/register';

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
  const stateDir = context.globalStorageUri.fsPath;
  const model = new EnvWorkspaceModel({ logger, notifier, stateDir, workspaceState: context.workspaceState });
  const trustGranted = new vscode.EventEmitter<void>();
  let fingerprinter: Promise<Fingerprinter | undefined> | undefined;

  const services: ExtensionServices = {
    context,
    model,
    logger,
    channel,
    notifier,
    prompter,
    settings: readSettings,
    stateDir,
    isTrusted: () => vscode.workspace.isTrusted,
    onDidGrantTrust: trustGranted.event,
    shortFingerprint: async (value) => {
      fingerprinter ??= openFingerprinter(stateDir, { create: true }).catch((err: unknown) => {
        logger.warn(`fingerprints unavailable: ${(err as Error).message}`);
        return undefined;
      });
      return (await fingerprinter)?.short(value);
    },
  };

  mark('services');
  const masking = new MaskingController(model, logger);
  const maskingState = new MaskingStateController(masking, services);
  mark('masking');
  context.subscriptions.push(
    channel,
    trustGranted,
    vscode.workspace.onDidGrantWorkspaceTrust(() => trustGranted.fire()),
    model,
    new DiagnosticsController(model),
    masking,
    vscode.languages.registerHoverProvider(ENV_SELECTOR, new SecretHoverProvider(services, masking)),
    vscode.languages.registerCodeActionsProvider(ENV_SELECTOR, new QuickFixProvider(services), { providedCodeActionKinds: QuickFixProvider.kinds }),
    vscode.languages.registerCodeActionsProvider(ENV_SELECTOR, new EnvFixProvider(), { providedCodeActionKinds: EnvFixProvider.kinds }),
    vscode.languages.registerCompletionItemProvider(ENV_SELECTOR, new AnnotationCompletionProvider(), ...AnnotationCompletionProvider.triggerCharacters),
    ...registerMaskingCommands(masking, services),
    maskingState,
    new SearchExclusionController(services),
    // rekey where secrets are read: hover, Go to Definition, key completion, undefined keys.
    vscode.languages.registerHoverProvider(CODE_SELECTOR, new CodeHoverProvider(model)),
    vscode.languages.registerDefinitionProvider(CODE_SELECTOR, new CodeDefinitionProvider(model)),
    vscode.languages.registerCompletionItemProvider(CODE_SELECTOR, new CodeCompletionProvider(model), ...CodeCompletionProvider.triggerCharacters),
    new UndefinedKeysController(model),
    ...registerQuickFixCommands(services),
    registerCommand(COMMAND_IDS.showLogs, () => channel.show(true), logger, channel),
  );
  mark('editor features');

  // --- views and commands (issue 8) ---
  const views = registerViewsAndCommands(context, services);
  context.subscriptions.push(...views);
  // --- end views and commands (issue 8) ---
  mark('views and commands');

  // Git hooks: the Install Git Hooks command and the one-time offer (issue 9).
  context.subscriptions.push(new HookController(context, services));
  mark('git hooks');

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
    views: viewsApiOf(views),
    testMode: context.extensionMode === vscode.ExtensionMode.Test,
  });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
