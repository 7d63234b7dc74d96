/** A replacement of `[start, end)` of a text (UTF-16 offsets into the text it was computed on). */
export interface TextChange {
  start: number;
  end: number;
  newText: string;
}

/**
 * Applies non-overlapping changes computed on `text`. Changes are applied from the end so
 * earlier offsets stay valid.
 * @throws Error when two changes overlap (a caller bug: fixes are chosen to be disjoint).
 */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
  const sorted = [...changes].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as TextChange;
    const cur = sorted[i] as TextChange;
    if (cur.start < prev.end) throw new Error('overlapping text changes');
  }
  let out = text;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const c = sorted[i] as TextChange;
    out = out.slice(0, c.start) + c.newText + out.slice(c.end);
  }
  return out;
}

/** The smallest single change that turns `before` into `after` (common prefix and suffix kept). */
export function diffAsChange(before: string, after: string): TextChange | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  // Never split a surrogate pair or a CRLF: editors would show a broken character in between.
  while (start > 0 && (isLowSurrogate(before.charCodeAt(start)) || (before[start] === '\n' && before[start - 1] === '\r'))) start--;
  while (endB < before.length && (isLowSurrogate(before.charCodeAt(endB)) || (before[endB] === '\n' && before[endB - 1] === '\r'))) {
    endB++;
    endA++;
  }
  return { start, end: endB, newText: after.slice(start, endA) };
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
