import * as vscode from 'vscode';
import { parseEnv } from '../../core/env/parse';
import type { ExtensionServices } from '../services';
import type { MaskingController } from './maskingController';

/** Arguments of `rekey.revealValue` (from a hover link, a quick pick, or another command). */
export interface RevealArgs {
  uri?: string | vscode.Uri;
  key?: string;
}

function toUri(u: string | vscode.Uri | undefined): vscode.Uri | undefined {
  if (!u) return undefined;
  return typeof u === 'string' ? vscode.Uri.parse(u, true) : u;
}

/** **rekey: Toggle Secret Masking**. */
export function toggleMaskingCommand(masking: MaskingController, services: ExtensionServices): boolean {
  const on = masking.toggle();
  void services.notifier.info(on ? 'rekey: secret values are masked.' : 'rekey: secret values are shown until masking is turned back on (this session).');
  return on;
}

/** **rekey: Reveal Secret Value**: from a hover link (uri and key), or the entry under the cursor. */
export async function revealValueCommand(masking: MaskingController, services: ExtensionServices, arg?: unknown): Promise<boolean> {
  const { notifier } = services;
  const args = (typeof arg === 'object' && arg !== null ? arg : {}) as RevealArgs;
  const uri = toUri(args.uri) ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void notifier.info('rekey: open a .env file and put the cursor on a secret to reveal it.');
    return false;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  let key = args.key;
  if (!key) {
    const editor = vscode.window.activeTextEditor;
    const pos = editor?.document === doc ? editor.selection.active : undefined;
    const entries = parseEnv(doc.getText()).entries;
    const at = pos ? entries.find((e) => pos.line >= e.range.start.line && pos.line <= e.range.end.line) : undefined;
    key = at?.key;
  }
  if (!key) {
    void notifier.info('rekey: put the cursor on a secret entry to reveal its value.');
    return false;
  }
  if (!masking.isEnabled(uri)) {
    void notifier.info('rekey: masking is off, so values are already shown.');
    return false;
  }
  const seconds = services.settings(uri).revealTimeoutSeconds;
  if (!masking.reveal(doc, key, seconds)) {
    void notifier.info(`rekey: ${key} is not a masked secret in this file.`);
    return false;
  }
  return true;
}
