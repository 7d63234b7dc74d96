import type { EnvEntry } from '../env/types';

/*
 * The rotation annotation: a comment directly above an entry (no blank line in between) saying
 * when its current value came into use. rekey writes it when it rotates a secret, and people can
 * write it by hand:
 *
 *   # rotated: 2026-08-01
 *   SESSION_SECRET=...
 *
 * Accepted forms: `rotated: DATE` or `rotated=DATE` anywhere in one of the comment lines of the
 * block, DATE being `YYYY-MM-DD`, optionally followed by `THH:MM[:SS]` and `Z` or `±HH:MM`
 * (a date alone means midnight UTC). Case does not matter. The last such line of the block wins.
 *
 * What the annotation means is detection's call (`readAnnotations` in src/core/detect/annotations,
 * which the age computation uses); this reader also says on which line the annotation is, for
 * the rotation code that rewrites its date in place.
 */

export interface RotatedAnnotation {
  date: Date;
  /** 0-based line of the annotation comment. */
  line: number;
}

const DATE = String.raw`(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?`;
const ROTATED = new RegExp(String.raw`\brotated\s*[:=]\s*${DATE}(?![\w:+-])`, 'i');
const DATE_ONLY = new RegExp(`^${DATE}$`, 'i');

/** Lines of `text` ending before `entry`, read backwards through the comment block above it. */
export function readRotatedAnnotation(text: string, entry: EnvEntry): RotatedAnnotation | undefined {
  let line = entry.range.start.line;
  // Start of the entry's own line.
  let end = entry.start;
  while (end > 0 && text[end - 1] !== '\n' && text[end - 1] !== '\r') end--;
  while (end > 0 && line > 0) {
    // Step over the line break (\r\n, \n or \r) to the end of the previous line.
    let lineEnd = end - 1;
    if (text[lineEnd] === '\n' && text[lineEnd - 1] === '\r') lineEnd--;
    let lineStart = lineEnd;
    while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
    line--;
    const content = text.slice(lineStart, lineEnd).trim();
    if (!content.startsWith('#')) return undefined;
    const m = ROTATED.exec(content);
    if (m) {
      const date = toDate(m);
      return date ? { date, line } : undefined;
    }
    end = lineStart;
  }
  return undefined;
}

/** Parses an annotation date; `undefined` for impossible dates such as 2026-02-30. */
export function parseRotatedDate(s: string): Date | undefined {
  const m = DATE_ONLY.exec(s.trim());
  return m ? toDate(m) : undefined;
}

function toDate(m: RegExpExecArray): Date | undefined {
  const [y, mo, d, h, mi, s, zone] = [m[1], m[2], m[3], m[4], m[5], m[6], m[7]];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const ms = Date.UTC(year, month - 1, day, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  if (Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59) return undefined;
  let offsetMin = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (z) offsetMin = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  }
  return new Date(ms - offsetMin * 60_000);
}
