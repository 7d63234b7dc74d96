import * as vscode from 'vscode';
import type { Logger } from '../../core/log';

/*
 * Read-only Markdown documents rekey generates (rotation plans, runbooks, the rotation report),
 * served from memory under their own URI schemes so nothing is written to disk until the user
 * exports it. Their content is value-free by construction: only renderers that never read a
 * secret feed them.
 */

export const PLAN_SCHEME = 'rekey-plan';
export const RUNBOOK_SCHEME = 'rekey-runbook';
export const REPORT_SCHEME = 'rekey-report';

/** One scheme's documents. */
export class VirtualDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly docs = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  constructor(readonly scheme: string) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(scheme, this);
  }

  /** Stores `content` as `<scheme>:/<name>` (a `.md` name makes it Markdown) and returns its URI. */
  set(name: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${name}` });
    this.docs.set(uri.toString(), content);
    this.emitter.fire(uri);
    return uri;
  }

  get(uri: vscode.Uri): string | undefined {
    return this.docs.get(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.registration.dispose();
    this.emitter.dispose();
    this.docs.clear();
  }
}

/** A file-name-safe version of `s` for virtual document names. */
export function docName(s: string): string {
  return s.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'document';
}

/**
 * Opens `uri` in the Markdown preview (to the side when asked), falling back to a plain
 * read-only editor when the built-in Markdown extension is unavailable.
 */
export async function showMarkdownPreview(uri: vscode.Uri, logger: Logger, options: { side?: boolean } = {}): Promise<void> {
  try {
    await vscode.commands.executeCommand(options.side ? 'markdown.showPreviewToSide' : 'markdown.showPreview', uri);
    return;
  } catch (err) {
    logger.debug(`Markdown preview unavailable (${(err as Error).message}); opening the text instead`);
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true, ...(options.side ? { viewColumn: vscode.ViewColumn.Beside } : {}) });
}
