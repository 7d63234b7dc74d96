import * as vscode from 'vscode';
import { toDiagnostic } from '../convert';
import type { WorkspaceModel } from '../model/types';

/**
 * Publishes the model's findings as diagnostics, for every discovered `.env`-family file
 * (open or not, like a linter run over the workspace) and backups. A file's diagnostics are
 * replaced whenever its analysis changes and removed when it is deleted, leaves the workspace,
 * or (outside the workspace) is closed.
 */
export class DiagnosticsController implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('rekey');
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: WorkspaceModel) {
    this.subscription = model.onDidChange((uris) => this.update(uris));
  }

  update(uris?: vscode.Uri[]): void {
    if (!uris) {
      const known = new Set<string>();
      for (const a of this.model.files()) {
        known.add(a.uri.toString());
        this.collection.set(a.uri, a.findings.map(toDiagnostic));
      }
      this.collection.forEach((uri) => {
        if (!known.has(uri.toString())) this.collection.delete(uri);
      });
      return;
    }
    for (const uri of uris) {
      const a = this.model.get(uri);
      if (a) this.collection.set(uri, a.findings.map(toDiagnostic));
      else this.collection.delete(uri);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
