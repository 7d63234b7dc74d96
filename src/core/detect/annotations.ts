import { isKindId, type KindId } from '../catalog/types';
import type { EnvEntry } from '../env/types';
import { entryComments, type EntryComments } from './comments';

/*
 * Annotation comments directly above an entry:
 *
 *   # rekey: kind=session-signing rotate=30d
 *   # rotated: 2024-05-01
 *   SESSION_SECRET=...
 *
 * `kind=` and `rotate=` override detection and the catalog's interval; `rekey: ignore` (or
 * `rekey: not-secret`) marks the entry as not secret; `rotated:` records when the value was
 * last rotated (the age module reads it). `# rekey-ignore` is a suppression (suppressions.ts)
 * but is reported here too as `ignore`, so a single call answers "what did the user say".
 */

export interface Annotations {
  kind?: KindId;
  intervalDays?: number;
  /** ISO date (`YYYY-MM-DD`) from `# rotated:`. */
  rotated?: string;
  ignore?: boolean;
  /** Value-free descriptions of annotations that could not be read (`unknown kind "x"`). */
  problems?: string[];
}

const REKEY_RE = /^\s*rekey\s*:\s*(.*)$/i;
const ROTATED_RE = /^\s*(?:rekey\s*:\s*)?rotated\s*[:=]\s*(\S+)/i;
const IGNORE_RE = /^\s*rekey-ignore\b/i;

/**
 * Parses a rotation interval: `30d`, `12w`, `6m`, `1y`, `90` (days). Months count 30 days and
 * years 365. Returns undefined for anything else, including zero and negative numbers.
 */
export function parseInterval(text: string): number | undefined {
  const m = /^\s*(\d{1,5})\s*(d|day|days|w|week|weeks|m|mo|month|months|y|year|years)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!Number.isSafeInteger(n) || n <= 0) return undefined;
  const unit = (m[2] ?? 'd').toLowerCase();
  const days = unit.startsWith('w') ? n * 7 : unit.startsWith('m') ? n * 30 : unit.startsWith('y') ? n * 365 : n;
  return days <= 36_500 ? days : undefined;
}

/** Validates `YYYY-MM-DD` (a real calendar date) and returns it, or undefined. */
export function parseIsoDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/**
 * Reads one annotation comment (text after `#`) into `into`. Returns whether it was an
 * annotation at all. Fields already set are kept: callers feed the nearest comment first.
 */
export function parseAnnotationComment(comment: string, into: Annotations): boolean {
  if (IGNORE_RE.test(comment)) {
    into.ignore ??= true;
    return true;
  }
  const rotated = ROTATED_RE.exec(comment);
  if (rotated) {
    const iso = parseIsoDate(rotated[1] ?? '');
    if (iso) into.rotated ??= iso;
    else (into.problems ??= []).push('rotated: expected a date as YYYY-MM-DD');
    return true;
  }
  const m = REKEY_RE.exec(comment);
  if (!m) return false;
  for (const token of (m[1] ?? '').split(/[\s,;]+/).filter(Boolean)) {
    const eq = token.indexOf('=');
    const name = (eq === -1 ? token : token.slice(0, eq)).toLowerCase();
    const val = eq === -1 ? '' : token.slice(eq + 1);
    if (name === 'ignore' || name === 'not-secret' || name === 'notsecret') into.ignore ??= true;
    else if (name === 'kind') {
      if (isKindId(val)) into.kind ??= val;
      else (into.problems ??= []).push(`unknown kind "${val.slice(0, 40)}"`);
    } else if (name === 'rotate' || name === 'interval' || name === 'every') {
      const days = parseInterval(val);
      if (days !== undefined) into.intervalDays ??= days;
      else (into.problems ??= []).push(`rotate: expected an interval such as 30d, 12w, 6m or 1y`);
    } else if (name === 'rotated') {
      const iso = parseIsoDate(val);
      if (iso) into.rotated ??= iso;
      else (into.problems ??= []).push('rotated: expected a date as YYYY-MM-DD');
    } else (into.problems ??= []).push(`unknown annotation "${name.slice(0, 40)}"`);
  }
  return true;
}

const NO_ANNOTATIONS: Annotations = Object.freeze({});

/** Annotations from already-collected comments (the inline comment counts too). May be shared: do not modify. */
export function annotationsFromComments(comments: EntryComments): Annotations {
  if (comments.inline === undefined && comments.above.length === 0) return NO_ANNOTATIONS;
  const out: Annotations = {};
  if (comments.inline !== undefined) parseAnnotationComment(comments.inline, out);
  for (const line of comments.above) parseAnnotationComment(line, out);
  if (out.problems && out.problems.length === 0) delete out.problems;
  return out;
}

/**
 * What the user wrote about `entry` in comments directly above it (and inline): kind and
 * interval overrides, the last rotation date, and whether it is marked as not secret.
 * `text` is the whole file the entry was parsed from.
 */
export function readAnnotations(text: string, entry: EnvEntry): Annotations {
  return { ...annotationsFromComments(entryComments(text, entry)) };
}
