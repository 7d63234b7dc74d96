import { parseIsoDate } from '../../detect/annotations';
import { entryComments } from '../../detect/comments';
import type { EnvEntry } from '../../env/types';

/*
 * The comment rekey writes above a previous secret it keeps for a zero-logout rotation:
 *
 *   # rekey-previous: of=AUTH_SECRET retire-by=2026-01-31 framework=authjs
 *   AUTH_SECRET_1=...
 *
 * Its own prefix (`rekey-previous:`, not `rekey:`) so the annotation reader in `detect/` does not
 * report its fields as unknown; dotenv ignores it like any comment. `of` names the secret the
 * entry belongs to, `retire-by` the day the longest session signed with the old value has
 * expired, `framework` the table row the layout came from. `promote` marks the Auth.js layout:
 * the entry holds the NEW value, and retiring moves it into `of`.
 */

export interface PreviousSecretMark {
  /** The signing secret this entry backs (`AUTH_SECRET`). */
  of: string;
  /** YYYY-MM-DD. */
  retireBy: string;
  /** Session framework id from the catalog. */
  framework?: string;
  /** The entry holds the new value; retiring moves it into `of` (Auth.js numbered secrets). */
  promote?: boolean;
  /** 0-based line of the comment. */
  line: number;
}

const MARK_RE = /^\s*rekey-previous\s*:\s*(.*)$/i;

/** Reads a `rekey-previous:` comment (text after `#`); undefined when it is not one or lacks `of`/`retire-by`. */
export function parsePreviousMark(comment: string, line: number): PreviousSecretMark | undefined {
  const m = MARK_RE.exec(comment);
  if (!m) return undefined;
  const fields = new Map<string, string>();
  for (const token of (m[1] ?? '').split(/\s+/).filter(Boolean)) {
    const eq = token.indexOf('=');
    fields.set((eq === -1 ? token : token.slice(0, eq)).toLowerCase(), eq === -1 ? '' : token.slice(eq + 1));
  }
  const of = fields.get('of');
  const retireBy = parseIsoDate(fields.get('retire-by') ?? '');
  if (!of || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(of) || !retireBy) return undefined;
  return { of, retireBy, line, ...(fields.get('framework') ? { framework: fields.get('framework') as string } : {}), ...(fields.has('promote') ? { promote: true } : {}) };
}

/** The mark above `entry` in `text`, if any. */
export function readPreviousMark(text: string, entry: EnvEntry): PreviousSecretMark | undefined {
  const comments = entryComments(text, entry);
  for (let i = 0; i < comments.above.length; i++) {
    // `above` lists the nearest comment first.
    const mark = parsePreviousMark(comments.above[i] as string, entry.range.start.line - 1 - i);
    if (mark) return mark;
  }
  return undefined;
}

/** The comment text (without `#` and line break) for a mark. */
export function formatPreviousMark(mark: Omit<PreviousSecretMark, 'line'>): string {
  return `rekey-previous: of=${mark.of} retire-by=${mark.retireBy}${mark.framework ? ` framework=${mark.framework}` : ''}${mark.promote ? ' promote' : ''}`;
}
