import * as vscode from 'vscode';
import type { GeneratedDocuments } from '../services';
import type { WorkspaceModel } from '../model/types';
import { StatusBarController, type StatusBarState } from '../statusBar/statusBarController';
import { SECRETS_CONTAINER_ID, type SecretsViewApi, type SecretsViewController } from '../tree/secretsView';
import { PLAN_SCHEME, REPORT_SCHEME, RUNBOOK_SCHEME, VirtualDocumentProvider } from './virtualDocuments';

/** The Secrets view, the status bar item and the documents rekey generated, for the API (tests). */
export interface ViewsApi {
  readonly secretsTree: SecretsViewApi;
  statusBar(): StatusBarState;
  /** Text of a generated document (`rekey-plan:`, `rekey-runbook:`, `rekey-report:`), by URI. */
  document(uri: string): string | undefined;
}

/** The providers of `rekey-plan:`, `rekey-runbook:` and `rekey-report:` documents. */
export function createGeneratedDocuments(): GeneratedDocuments & vscode.Disposable {
  const docs = {
    plan: new VirtualDocumentProvider(PLAN_SCHEME),
    runbook: new VirtualDocumentProvider(RUNBOOK_SCHEME),
    report: new VirtualDocumentProvider(REPORT_SCHEME),
  };
  return { ...docs, dispose: () => Object.values(docs).forEach((d) => d.dispose()) };
}

/** Owns the status bar item that follows the Secrets view; also the {@link ViewsApi}. */
export class ViewsController implements vscode.Disposable, ViewsApi {
  private readonly statusBarItem: StatusBarController;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    model: WorkspaceModel,
    readonly secretsTree: SecretsViewController,
    private readonly docs: GeneratedDocuments,
  ) {
    this.statusBarItem = new StatusBarController(`workbench.view.extension.${SECRETS_CONTAINER_ID}`);
    const updateStatus = (): void => {
      const files = model.files().filter((f) => f.role === 'env');
      this.statusBarItem.update(this.secretsTree.provider.allSummaries(), files.length > 0);
    };
    this.disposables.push(this.statusBarItem, this.secretsTree.onDidUpdate(updateStatus));
    updateStatus();
  }

  statusBar(): StatusBarState {
    return this.statusBarItem.state;
  }

  document(uri: string): string | undefined {
    const parsed = vscode.Uri.parse(uri);
    return [this.docs.plan, this.docs.runbook, this.docs.report]
      .find((d) => d.scheme === parsed.scheme)
      ?.get(parsed);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
