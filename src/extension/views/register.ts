import * as vscode from 'vscode';
import { Ledger } from '../../core/age/ledger';
import { compareWithBackupCommand } from '../commands/compareWithBackup';
import { generateSecretCommand } from '../commands/generateSecret';
import { insertRunbookCommand, openRunbookCommand } from '../commands/insertRunbook';
import { COMMAND_IDS, registerCommand } from '../commands/registry';
import { rotateSecretCommand } from '../commands/rotateSecret';
import { exportRotationReportCommand, showRotationReportCommand } from '../commands/rotationReport';
import { scanHistoryCommand } from '../commands/scanHistory';
import { copyKeyNameCommand, revealValueFromViewCommand, showConsumersCommand, showInFileCommand } from '../commands/secretActions';
import { createEnvFromExampleCommand, openDocsCommand } from '../commands/welcome';
import type { ExtensionServices } from '../services';
import { StatusBarController, type StatusBarState } from '../statusBar/statusBarController';
import { SECRETS_CONTAINER_ID, SecretsViewController, type SecretsViewApi } from '../tree/secretsView';
import type { ViewContext } from './viewContext';
import { PLAN_SCHEME, REPORT_SCHEME, RUNBOOK_SCHEME, VirtualDocumentProvider } from './virtualDocuments';

/** The Secrets view, the status bar item and the documents rekey generated, for the API (tests). */
export interface ViewsApi {
  readonly secretsTree: SecretsViewApi;
  statusBar(): StatusBarState;
  /** Text of a generated document (`rekey-plan:`, `rekey-runbook:`, `rekey-report:`), by URI. */
  document(uri: string): string | undefined;
}

/** Owns everything registerViewsAndCommands creates; also the {@link ViewsApi}. */
class ViewsController implements vscode.Disposable, ViewsApi {
  readonly secretsTree: SecretsViewController;
  private readonly statusBarItem: StatusBarController;
  private readonly docs: ViewContext['docs'];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(context: vscode.ExtensionContext, services: ExtensionServices) {
    this.docs = {
      plan: new VirtualDocumentProvider(PLAN_SCHEME),
      runbook: new VirtualDocumentProvider(RUNBOOK_SCHEME),
      report: new VirtualDocumentProvider(REPORT_SCHEME),
    };
    this.secretsTree = new SecretsViewController(services.model);
    this.statusBarItem = new StatusBarController(`workbench.view.extension.${SECRETS_CONTAINER_ID}`);
    const updateStatus = (): void => {
      const files = services.model.files().filter((f) => f.role === 'env');
      this.statusBarItem.update(this.secretsTree.provider.allSummaries(), files.length > 0);
    };
    this.disposables.push(this.docs.plan, this.docs.runbook, this.docs.report, this.secretsTree, this.statusBarItem, this.secretsTree.onDidUpdate(updateStatus));
    updateStatus();

    const tree = this.secretsTree;
    const ctx: ViewContext = {
      model: services.model,
      logger: services.logger,
      channel: services.channel,
      notifier: services.notifier,
      prompter: services.prompter,
      extensionUri: context.extensionUri,
      docs: this.docs,
      isTrusted: () => services.isTrusted(),
      openLedger: async () => {
        try {
          return await Ledger.open(services.stateDir);
        } catch (err) {
          services.logger.warn(`the rotation will not be recorded in the ledger (${(err as Error).message})`);
          return undefined;
        }
      },
      selectedSecret: () => {
        const node = tree.view.visible ? tree.selectedSecret() : undefined;
        return node ? { uri: node.uri, key: node.key } : undefined;
      },
    };

    const { logger, channel } = services;
    const command = (id: string, handler: (arg?: unknown) => unknown): void => {
      this.disposables.push(registerCommand(id as `rekey.${string}`, (...args: unknown[]) => handler(args[0]), logger, channel));
    };
    command(COMMAND_IDS.rotateSecret, (arg) => rotateSecretCommand(ctx, arg));
    command(COMMAND_IDS.generateSecret, (arg) => generateSecretCommand(ctx, arg));
    command(COMMAND_IDS.insertRunbook, (arg) => insertRunbookCommand(ctx, arg));
    command(COMMAND_IDS.compareWithBackup, (arg) => compareWithBackupCommand(ctx, arg));
    command(COMMAND_IDS.scanHistory, () => scanHistoryCommand(ctx));
    command(COMMAND_IDS.showRotationReport, (arg) => showRotationReportCommand(ctx, arg));
    command(COMMAND_IDS.exportRotationReport, (arg) => exportRotationReportCommand(ctx, arg));
    command(COMMAND_IDS.createEnvFromExample, (arg) => createEnvFromExampleCommand(ctx, arg));
    command(COMMAND_IDS.openDocs, () => openDocsCommand(ctx));
    command(COMMAND_IDS.refresh, async () => {
      await services.model.refresh();
      await services.model.whenIdle();
    });
    // The view's per-secret actions.
    command(COMMAND_IDS.copyKeyName, (arg) => copyKeyNameCommand(ctx, arg));
    command(COMMAND_IDS.showInFile, (arg) => showInFileCommand(ctx, arg));
    command(COMMAND_IDS.revealValueFromView, (arg) => revealValueFromViewCommand(ctx, arg));
    command(COMMAND_IDS.openRunbook, (arg) => openRunbookCommand(ctx, arg));
    command(COMMAND_IDS.showConsumers, (arg) => showConsumersCommand(ctx, arg));
    // The view's toolbar: filter and sort.
    command(COMMAND_IDS.filterNeedsAttention, () => tree.setFilter('attention'));
    command(COMMAND_IDS.filterAll, () => tree.setFilter('all'));
    command(COMMAND_IDS.sortByAge, () => tree.setSort('age'));
    command(COMMAND_IDS.sortByName, () => tree.setSort('name'));
    command(COMMAND_IDS.sortByFile, () => tree.setSort('file'));
  }

  statusBar(): StatusBarState {
    return this.statusBarItem.state;
  }

  document(uri: string): string | undefined {
    const parsed = vscode.Uri.parse(uri);
    return Object.values(this.docs)
      .find((d) => d.scheme === parsed.scheme)
      ?.get(parsed);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}

/** The {@link ViewsApi} among the disposables {@link registerViewsAndCommands} returned. */
export function viewsApiOf(disposables: readonly vscode.Disposable[]): ViewsApi | undefined {
  return disposables.find((d): d is ViewsController => d instanceof ViewsController);
}

/**
 * Registers the Secrets view, its commands and the status bar item. Returns the
 * disposables it created; `activate()` pushes them into `context.subscriptions`.
 */
export function registerViewsAndCommands(context: vscode.ExtensionContext, services: ExtensionServices): vscode.Disposable[] {
  return [new ViewsController(context, services)];
}
