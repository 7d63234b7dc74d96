import * as vscode from 'vscode';
import { KINDS } from '../../core/catalog/kinds';
import { describeFormat, FormatSpecError, generateValue, inferFormat, parseFormatSpec, type TargetFormat, type ValueFormat } from '../../core/rotation/generate';
import { findUrlPassword } from '../../core/rotation/urlPassword';
import type { ExtensionServices } from '../services';
import { UserFacingError } from './registry';
import { refAtCursor } from './secretTarget';

/** `rekey.generateSecret` arguments; without them the command asks. */
export interface GenerateArgs {
  /** `hex:32`, `base64:64`, `base64url:48`, `alnum:24`, `uuid`, or `like` (the entry under the cursor). */
  format?: string;
  /** Where the value goes. */
  destination?: 'insert' | 'clipboard';
}

/** Value-free account of what was generated. */
export interface GenerateResult {
  format: string;
  length: number;
  destination: 'insert' | 'clipboard';
}

const PRESETS = ['hex:32', 'base64:64', 'base64url:48', 'alnum:24', 'uuid'];

interface FormatPick extends vscode.QuickPickItem {
  format: ValueFormat;
  spec: string;
}

/** "Like this key": the format of the secret under the cursor, as `rekey generate --like` infers it. */
function likeCursor(ctx: ExtensionServices): { format: TargetFormat; key: string } | undefined {
  const ref = refAtCursor(ctx.model);
  if (!ref) return undefined;
  const secret = ctx.model.get(ref.uri)?.secrets.find((s) => s.entry.key === ref.key);
  if (!secret) return undefined;
  const value = secret.entry.value;
  const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) ? findUrlPassword(value) : undefined;
  const kind = url && KINDS[secret.kind].generator.type !== 'provider' ? 'connection-url' : secret.kind;
  return { format: inferFormat(url ? url.decoded : value, kind).format, key: ref.key };
}

function specOf(format: ValueFormat): string {
  return format.type === 'uuid' ? 'uuid' : format.type === 'alnum' ? `alnum:${format.length}` : `${format.type}:${format.bytes}`;
}

async function chooseFormat(ctx: ExtensionServices, args: GenerateArgs): Promise<FormatPick | undefined> {
  const like = likeCursor(ctx);
  if (args.format === 'like') {
    if (!like) throw new UserFacingError('rekey: "like this key" needs the cursor on a secret in a .env file');
    if (like.format.type === 'provider') throw new UserFacingError(`rekey: ${like.key} is issued by its provider; rekey cannot generate it`);
    return { label: like.key, format: like.format, spec: specOf(like.format) };
  }
  if (args.format !== undefined) {
    try {
      const format = parseFormatSpec(args.format);
      return { label: args.format, format, spec: specOf(format) };
    } catch (err) {
      if (err instanceof FormatSpecError) throw new UserFacingError(`rekey: ${err.message}`);
      throw err;
    }
  }
  const items: FormatPick[] = [];
  if (like && like.format.type !== 'provider') {
    items.push({ label: `$(symbol-key) Like ${like.key}`, description: describeFormat(like.format), format: like.format, spec: 'like' });
  }
  for (const spec of PRESETS) {
    const format = parseFormatSpec(spec);
    items.push({ label: spec, description: describeFormat(format), format, spec });
  }
  const id = await ctx.prompter.pick(
    items.map((i) => ({ id: i.spec, label: i.label, ...(i.description ? { description: i.description } : {}) })),
    'Format of the new random value',
    { title: 'rekey: Generate Secret' },
  );
  const chosen = items.find((i) => i.spec === id);
  return chosen && chosen.spec === 'like' ? { ...chosen, spec: specOf(chosen.format) } : chosen;
}

/** Generate Secret: a fresh random value, inserted at the cursor or copied; never logged or shown in a message. */
export async function generateSecretCommand(ctx: ExtensionServices, arg: unknown): Promise<GenerateResult | undefined> {
  const args: GenerateArgs = arg && typeof arg === 'object' ? arg : {};
  const pick = await chooseFormat(ctx, args);
  if (!pick) return undefined;
  const editor = vscode.window.activeTextEditor;
  let destination = args.destination;
  if (!destination) {
    const options: Array<{ id: 'insert' | 'clipboard'; label: string }> = [];
    if (editor) options.push({ id: 'insert', label: '$(insert) Insert at the cursor' });
    options.push({ id: 'clipboard', label: '$(clippy) Copy to the clipboard' });
    const where = options.length === 1 ? options[0]?.id : await ctx.prompter.pick(options, 'Where should the new value go?', { title: `rekey: Generate Secret (${pick.spec})` });
    if (!where) return undefined;
    destination = where;
  }
  const value = generateValue(pick.format);
  if (destination === 'insert') {
    if (!editor) throw new UserFacingError('rekey: no editor to insert into; choose the clipboard instead');
    await editor.edit((b) => {
      for (const sel of editor.selections) b.replace(sel, value);
    });
  } else {
    await vscode.env.clipboard.writeText(value);
    void ctx.notifier.info(`rekey: a new ${pick.spec} value is on the clipboard.`);
  }
  ctx.logger.info(`generated a ${pick.spec} value (${destination})`);
  return { format: pick.spec, length: value.length, destination };
}
