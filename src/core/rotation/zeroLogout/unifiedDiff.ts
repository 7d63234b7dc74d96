import { LineIndex } from '../../text/lineIndex';
import type { CodeChange } from './codeEdits';

/*
 * A unified diff of a code change, built from its edits (not by diffing whole files): every
 * hunk is exactly one or more edits with three lines of context, so `git apply` / `patch -p1`
 * accept it. Code edits hold env variable names only, never values.
 */

const CONTEXT = 3;

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** `--- a/<path>` / `+++ b/<path>` and the hunks of `change`; `shownPath` is relative to the repository root. */
export function unifiedDiff(change: CodeChange, shownPath: string): string {
  const oldLines = splitLines(change.oldText);
  const newLines = splitLines(change.newText);
  const oldIdx = new LineIndex(change.oldText);
  // Old line span touched by each edit, and the shift in line count it causes.
  const spans = change.edits.map((e) => {
    const first = oldIdx.lineAt(e.start);
    const last = oldIdx.lineAt(Math.max(e.start, e.end - (e.end > e.start ? 1 : 0)));
    const removed = change.oldText.slice(e.start, e.end).split('\n').length - 1;
    const added = e.newText.split('\n').length - 1;
    return { first, last, delta: added - removed };
  });
  // Group edits whose context overlaps into one hunk.
  const groups: Array<{ first: number; last: number; delta: number; before: number }> = [];
  let shift = 0;
  for (const s of spans) {
    const g = groups[groups.length - 1];
    if (g && s.first - CONTEXT <= g.last + CONTEXT) {
      g.last = Math.max(g.last, s.last);
      g.delta += s.delta;
    } else {
      groups.push({ first: s.first, last: s.last, delta: s.delta, before: shift });
    }
    shift += s.delta;
  }
  const out = [`--- a/${shownPath}`, `+++ b/${shownPath}`];
  for (const g of groups) {
    const oStart = Math.max(0, g.first - CONTEXT);
    const oEnd = Math.min(oldLines.length - 1, g.last + CONTEXT);
    const nStart = oStart + g.before;
    const nEnd = oEnd + g.before + g.delta;
    out.push(`@@ -${oStart + 1},${oEnd - oStart + 1} +${nStart + 1},${nEnd - nStart + 1} @@`);
    // Shared context is identical; the changed middle is every old line in the span vs every new one.
    const head = g.first - oStart;
    const tail = oEnd - g.last;
    for (let i = oStart; i < oStart + head; i++) out.push(` ${oldLines[i] ?? ''}`);
    for (let i = g.first; i <= g.last; i++) out.push(`-${oldLines[i] ?? ''}`);
    for (let i = nStart + head; i <= nEnd - tail; i++) out.push(`+${newLines[i] ?? ''}`);
    for (let i = oEnd - tail + 1; i <= oEnd; i++) out.push(` ${oldLines[i] ?? ''}`);
  }
  return out.join('\n') + '\n';
}
