import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';

/*
 * The two sides of a diff the user asked to see with values: read-only snapshots served from
 * memory under `rekey-revealed:`, a scheme masking skips. A snapshot is dropped as soon as its
 * document closes, so the values do not outlive the diff.
 */

export const REVEALED_SCHEME = 'rekey-revealed';

export class RevealedDiffDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly disposables: vscode.Disposable[];
  private next = 0;

  constructor() {
    this.disposables = [
      vscode.workspace.registerTextDocumentContentProvider(REVEALED_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === REVEALED_SCHEME) this.texts.delete(d.uri.toString());
      }),
    ];
  }

  /** A read-only snapshot of `text`, named like `file` (so it is highlighted as a `.env` file). */
  snapshot(file: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: REVEALED_SCHEME, path: `/${this.next++}/${path.basename(file)}` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.texts.clear();
  }
}

let instance: RevealedDiffDocuments | undefined;

/** The one provider of revealed snapshots, registered on first use and disposed with the extension. */
export function revealedDiffDocuments(ctx: ExtensionServices): RevealedDiffDocuments {
  if (!instance) {
    const created = new RevealedDiffDocuments();
    instance = created;
    ctx.context.subscriptions.push(created, { dispose: () => { if (instance === created) instance = undefined; } });
  }
  return instance;
}
