import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EnvEntry } from '../../core/env/types';
import { countConsumers } from '../../core/rotation/consumerCount';
import { findConsumers } from '../../core/rotation/consumers';
import { workspaceRootOf } from '../rotation/planForSecret';
import type { ExtensionServices } from '../services';
import { UserFacingError } from './registry';
import { resolveSecret, type SecretRef } from './secretTarget';

/*
 * The Secrets view's per-secret actions: Copy Key Name, Show in File, Reveal Value, Show
 * Consumers. Each takes a tree node or `{ uri, key }`, else the secret under the cursor or the
 * view's selection, else asks.
 */

async function target(ctx: ExtensionServices, arg: unknown, title: string): Promise<SecretRef | undefined> {
  return resolveSecret(arg, ctx, title);
}

/** The key's range in the file: from the model's parse, else found in the document. */
function keyRange(ctx: ExtensionServices, ref: SecretRef, doc: vscode.TextDocument): vscode.Range {
  const parsed = ctx.model.get(ref.uri)?.parsed;
  let entry: EnvEntry | undefined;
  for (const e of parsed?.entries ?? []) if (e.key === ref.key) entry = e;
  if (entry) {
    const r = entry.keyRange;
    return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
  }
  for (let i = doc.lineCount - 1; i >= 0; i--) {
    const m = new RegExp(`^\\s*(?:export\\s+)?(${ref.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})\\s*[=:]`).exec(doc.lineAt(i).text);
    if (m) {
      const start = doc.lineAt(i).text.indexOf(ref.key);
      return new vscode.Range(i, start, i, start + ref.key.length);
    }
  }
  throw new UserFacingError(`rekey: ${ref.key} is no longer in ${path.basename(ref.uri.fsPath)}`);
}

/** Copy Key Name: the key (never the value) to the clipboard. */
export async function copyKeyNameCommand(ctx: ExtensionServices, arg: unknown): Promise<string | undefined> {
  const ref = await target(ctx, arg, 'rekey: Copy Key Name');
  if (!ref) return undefined;
  await vscode.env.clipboard.writeText(ref.key);
  vscode.window.setStatusBarMessage(`rekey: copied ${ref.key}`, 3000);
  return ref.key;
}

/** Show in File: opens the `.env` file with the key selected. Returns the selected range. */
export async function showInFileCommand(ctx: ExtensionServices, arg: unknown): Promise<{ uri: string; line: number } | undefined> {
  const ref = await target(ctx, arg, 'rekey: Show in File');
  if (!ref) return undefined;
  const doc = await vscode.workspace.openTextDocument(ref.uri);
  const range = keyRange(ctx, ref, doc);
  const editor = await vscode.window.showTextDocument(doc, { selection: range, preserveFocus: false, preview: true });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return { uri: ref.uri.toString(), line: range.start.line };
}

/**
 * Reveal Value: opens the file at the key, then asks the editor's masking to show this one value
 * for a moment (`rekey.revealValue`, which times out). The value is never put in a tree label,
 * a tooltip or a notification.
 */
export async function revealValueFromViewCommand(ctx: ExtensionServices, arg: unknown): Promise<void> {
  const ref = await target(ctx, arg, 'rekey: Reveal Value');
  if (!ref) return;
  await showInFileCommand(ctx, ref);
  await vscode.commands.executeCommand('rekey.revealValue', { uri: ref.uri, key: ref.key });
}

/** A consumer as tests see it: where, never a value. */
export interface ConsumerLocation {
  file: string;
  line: number;
  detail: string;
  service?: string;
}

/**
 * Show Consumers: every place in the workspace that reads the key (compose, Dockerfiles, CI,
 * Kubernetes, scripts, crontabs, code), from the core consumer scan, in VS Code's references
 * peek at the key.
 */
export async function showConsumersCommand(ctx: ExtensionServices, arg: unknown): Promise<ConsumerLocation[] | undefined> {
  const ref = await target(ctx, arg, 'rekey: Show Consumers');
  if (!ref) return undefined;
  // The model caches the scan per key until source files change (the hover uses it too).
  const scan =
    (await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `rekey: finding where ${ref.key} is read…` }, () => ctx.model.consumersOf(ref.uri, ref.key))) ??
    (await findConsumers({ workspaceRoot: workspaceRootOf(ref.uri), key: ref.key, envFile: ref.uri.fsPath, trusted: ctx.isTrusted(), logger: ctx.logger }));
  for (const w of scan.warnings) ctx.logger.warn(w);
  // The same places, and so the same number, as the hover and the rotation plan.
  const { places } = countConsumers(scan.consumers, ref.key);
  const out: ConsumerLocation[] = places.map((c) => ({ file: c.file, line: c.line, detail: c.detail, ...(c.service ? { service: c.service } : {}) }));
  if (places.length === 0) {
    void ctx.notifier.info(`rekey: nothing in the workspace reads ${ref.key} (${scan.filesRead} files checked).`);
    return out;
  }
  const locations = places.map(
    (c) => new vscode.Location(vscode.Uri.file(c.file), new vscode.Range(c.range.start.line, c.range.start.character, c.range.end.line, c.range.end.character)),
  );
  const doc = await vscode.workspace.openTextDocument(ref.uri);
  const range = keyRange(ctx, ref, doc);
  await vscode.window.showTextDocument(doc, { selection: range, preview: true });
  await vscode.commands.executeCommand('editor.action.showReferences', ref.uri, range.start, locations);
  return out;
}
