import type { EnvEntry } from '../../core/env/types';
import { suppressionInComment } from '../../core/detect/suppressions';

/*
 * Where comment edits go: `# rekey-ignore` and `# rekey: kind=...` belong to the comment block
 * directly above an entry (see core/detect/comments.ts). Pure functions over the text; the
 * provider turns the result into a WorkspaceEdit.
 */

/** An insertion or replacement at a line (0-based), in characters. */
export interface LineEdit {
  line: number;
  character: number;
  /** Characters replaced from `character` (0 for an insertion). */
  length: number;
  newText: string;
}

const REKEY_ANNOTATION = /^(\s*#\s*rekey\s*:)(.*)$/i;
const KIND_TOKEN = /\bkind\s*=\s*\S*/i;

function lineAt(lines: string[], n: number): string {
  return (lines[n] ?? '').replace(/\r$/, '');
}

/** The comment lines directly above `line`, nearest first, as line numbers. */
function commentBlockAbove(lines: string[], line: number): number[] {
  const out: number[] = [];
  for (let n = line - 1; n >= 0 && out.length < 12; n--) {
    if (!/^\s*#/.test(lineAt(lines, n))) break;
    out.push(n);
  }
  return out;
}

function indentOf(text: string): string {
  return /^[ \t]*/.exec(text)?.[0] ?? '';
}

/** Inserts `# rekey-ignore` on its own line directly above the entry (where suppressions are read). */
export function ignoreEdit(text: string, entry: EnvEntry, eol: string): LineEdit {
  const lines = text.split('\n');
  const line = entry.range.start.line;
  return { line, character: 0, length: 0, newText: `${indentOf(lineAt(lines, line))}# rekey-ignore${eol}` };
}

/**
 * Sets `kind=` in the entry's `# rekey:` annotation: replaces an existing `kind=`, extends an
 * existing `# rekey:` line, or adds `# rekey: kind=<kind>` above the entry (above a suppression
 * marker that sits directly above it, so the marker keeps working).
 */
export function setKindEdit(text: string, entry: EnvEntry, kind: string, eol: string): LineEdit {
  const lines = text.split('\n');
  const line = entry.range.start.line;
  const block = commentBlockAbove(lines, line);
  for (const n of block) {
    const current = lineAt(lines, n);
    const m = REKEY_ANNOTATION.exec(current);
    if (!m) continue;
    const k = KIND_TOKEN.exec(current);
    if (k) return { line: n, character: k.index, length: k[0].length, newText: `kind=${kind}` };
    const end = current.replace(/\s+$/, '').length;
    return { line: n, character: end, length: 0, newText: ` kind=${kind}` };
  }
  let at = line;
  const nearest = block[0];
  if (nearest !== undefined && suppressionInComment(lineAt(lines, nearest).replace(/^\s*#/, ''))) at = nearest;
  return { line: at, character: 0, length: 0, newText: `${indentOf(lineAt(lines, line))}# rekey: kind=${kind}${eol}` };
}
