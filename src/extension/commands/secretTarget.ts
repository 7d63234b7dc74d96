import * as vscode from 'vscode';
import type { WorkspaceModel } from '../model/types';
import type { Notifier } from '../notifier';
import type { Prompter } from '../prompter';
import { compareUrgency, STATUS_LABEL, summarizeAll, type SecretSummary } from '../tree/secretStatus';
import { statusIcon } from '../tree/secretsTreeProvider';

/*
 * Which secret a command acts on: the one named in its arguments (a tree node or
 * `{ uri, key }`), the one under the cursor in a `.env` editor, the view's selection, or one
 * picked from a list sorted by urgency.
 */

/** What picking a secret needs. */
export interface PickContext {
  model: WorkspaceModel;
  notifier: Notifier;
  prompter: Prompter;
}

export interface SecretRef {
  uri: vscode.Uri;
  key: string;
}

function toUri(v: unknown): vscode.Uri | undefined {
  if (v instanceof vscode.Uri) return v;
  if (typeof v === 'string' && v !== '') return /^[a-z][\w+.-]*:/i.test(v) && !/^[a-z]:[\\/]/i.test(v) ? vscode.Uri.parse(v) : vscode.Uri.file(v);
  // A Uri that crossed a JSON boundary (command links, tests): { scheme, path, ... }.
  if (v && typeof v === 'object' && typeof (v as { scheme?: unknown }).scheme === 'string' && typeof (v as { path?: unknown }).path === 'string') {
    return vscode.Uri.from(v as { scheme: string; path: string });
  }
  return undefined;
}

/** Reads `{ uri, key }` (or a tree node, which has both) from a command argument. */
export function refFromArg(arg: unknown): SecretRef | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as { uri?: unknown; key?: unknown; file?: unknown };
  const uri = toUri(a.uri ?? a.file);
  return uri && typeof a.key === 'string' && a.key !== '' ? { uri, key: a.key } : undefined;
}

/** Reads a file URI from a command argument: `{ uri }`, a Uri, or a path. */
export function uriFromArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri || typeof arg === 'string') return toUri(arg);
  if (arg && typeof arg === 'object') return toUri((arg as { uri?: unknown }).uri ?? (arg as { file?: unknown }).file);
  return undefined;
}

/** The detected secret whose entry holds the cursor of the active `.env` editor. */
export function refAtCursor(model: WorkspaceModel): SecretRef | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const analysis = model.get(editor.document.uri);
  if (!analysis) return undefined;
  const line = editor.selection.active.line;
  const secret = analysis.secrets.find((s) => s.entry.range.start.line <= line && line <= s.entry.range.end.line);
  return secret ? { uri: editor.document.uri, key: secret.entry.key } : undefined;
}

/** Every live secret of the workspace, most urgent first. */
export function secretsByUrgency(model: WorkspaceModel): SecretSummary[] {
  return summarizeAll(model.files()).filter((s) => !s.suppressed).sort(compareUrgency);
}

/** The id a secret has in quick picks (and in test answers): `<absolute file>#<KEY>`. */
export function secretPickId(s: { file: string; key: string }): string {
  return `${s.file}#${s.key}`;
}

/** A quick pick of the workspace's secrets, most urgent first. Undefined when cancelled or empty. */
export async function pickSecret(ctx: PickContext, title: string): Promise<SecretRef | undefined> {
  const summaries = secretsByUrgency(ctx.model);
  if (summaries.length === 0) {
    void ctx.notifier.info('rekey: no secrets found in this workspace\'s .env files.');
    return undefined;
  }
  const multi = new Set(summaries.map((s) => s.folder ?? '')).size > 1;
  const id = await ctx.prompter.pick(
    summaries.map((s) => ({
      id: secretPickId(s),
      label: `$(${statusIcon(s).icon}) ${s.key}`,
      description: s.ageText,
      detail: `${multi && s.folder ? `${s.folder}/` : ''}${s.relativePath}:${s.line + 1} · ${s.kindName} · ${s.statuses.map((x) => STATUS_LABEL[x]).join(', ')}`,
    })),
    'Which secret? (most urgent first)',
    { title },
  );
  const chosen = summaries.find((s) => secretPickId(s) === id);
  return chosen ? { uri: vscode.Uri.file(chosen.file), key: chosen.key } : undefined;
}

/**
 * The secret a command should act on: from its argument, the cursor, the view's selection, or a
 * quick pick, in that order.
 */
export async function resolveSecret(arg: unknown, ctx: PickContext & { selectedSecret(): SecretRef | undefined }, title: string): Promise<SecretRef | undefined> {
  return refFromArg(arg) ?? refAtCursor(ctx.model) ?? ctx.selectedSecret() ?? (await pickSecret(ctx, title));
}
