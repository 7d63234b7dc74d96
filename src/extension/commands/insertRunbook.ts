import * as vscode from 'vscode';
import { planForSecret } from '../rotation/planForSecret';
import { docName, showMarkdownPreview } from '../views/virtualDocuments';
import type { ExtensionServices } from '../services';
import { isEnvDocument } from './envDocuments';
import { resolveSecret, type SecretRef } from './secretTarget';

/** Value-free result: where the runbook went. */
export interface InsertRunbookResult {
  key: string;
  target: string;
  /** `markdown`: inserted as is; `comments`: as `#` lines in a `.env` file. */
  style: 'markdown' | 'comments';
  lines: number;
}

/** The runbook as `.env` comments: every line prefixed with `# ` (blank lines with `#`). */
export function asEnvComments(markdown: string, eol: string): string {
  const lines = markdown.replace(/\s+$/, '').split(/\r?\n/);
  return lines.map((l) => (l.trim() === '' ? '#' : `# ${l}`)).join(eol) + eol;
}

async function chooseSecret(ctx: ExtensionServices, arg: unknown, title: string): Promise<SecretRef | undefined> {
  return resolveSecret(arg, ctx, title);
}

/**
 * Insert Runbook Snippet: the runbook for a key, filled with this workspace's names, into the
 * active editor: as is in Markdown (and other files), as `#` comments above the current line in
 * a `.env` file. Without an editor, it opens in a new Markdown document.
 */
export async function insertRunbookCommand(ctx: ExtensionServices, arg: unknown): Promise<InsertRunbookResult | undefined> {
  const ref = await chooseSecret(ctx, arg, 'rekey: Insert Runbook Snippet');
  if (!ref) return undefined;
  const plan = await planForSecret(ctx, ref, {}, `rekey: writing the runbook for ${ref.key}…`);
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme.startsWith('rekey-')) {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: plan.runbook });
    await vscode.window.showTextDocument(doc);
    return { key: ref.key, target: doc.uri.toString(), style: 'markdown', lines: doc.lineCount };
  }
  const doc = editor.document;
  const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  if (isEnvDocument(doc)) {
    const text = asEnvComments(plan.runbook, eol);
    const line = editor.selection.active.line;
    // Above the current entry: inserting inside a value would change it.
    const entry = ctx.model.get(doc.uri)?.parsed?.entries.find((e) => e.range.start.line <= line && line <= e.range.end.line);
    const at = new vscode.Position(entry ? entry.range.start.line : line, 0);
    await editor.edit((b) => b.insert(at, text));
    return { key: ref.key, target: doc.uri.toString(), style: 'comments', lines: text.split(eol).length - 1 };
  }
  const text = plan.runbook.replace(/\r?\n/g, eol);
  await editor.edit((b) => b.replace(editor.selection, text));
  return { key: ref.key, target: doc.uri.toString(), style: 'markdown', lines: text.split(eol).length };
}

/** Open Runbook: the runbook for a secret in the Markdown preview (nothing inserted anywhere). */
export async function openRunbookCommand(ctx: ExtensionServices, arg: unknown): Promise<string | undefined> {
  const ref = await chooseSecret(ctx, arg, 'rekey: Open Runbook');
  if (!ref) return undefined;
  const plan = await planForSecret(ctx, ref, {}, `rekey: writing the runbook for ${ref.key}…`);
  const uri = ctx.docs.runbook.set(`${docName(`${ref.key} runbook`)}.md`, plan.runbook);
  await showMarkdownPreview(uri, ctx.logger);
  return uri.toString();
}
