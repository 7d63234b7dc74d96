import type { PreviousSyntax } from '../../catalog/sessionFrameworks';
import type { EnvEntry, ParsedEnv } from '../../env/types';
import type { LineIndex } from '../../text/lineIndex';
import { RotationError } from '../errors';
import { serializeEnvValue, UnwritableValueError } from '../../env/serialize';
import { formatPreviousMark, readPreviousMark } from './retireAnnotation';
import type { ZeroLogoutPlan } from './strategy';

/*
 * The `.env` side of a zero-logout rotation, as raw edits into the planned text. The caller
 * (rotationEdits) merges them with its own, so the whole rotation stays one atomic write with
 * one backup and one Undo.
 */

export interface RawEnvEdit {
  start: number;
  end: number;
  newText: string;
}

export interface ZeroLogoutEnvEdits {
  edits: RawEnvEdit[];
  /** Keys whose value dotenv must read after the write. Secret. */
  expected: Array<[string, string]>;
  changed: string[];
  /** Whether the caller still replaces the target's value (false for the Auth.js layout). */
  replaceTarget: boolean;
}

export interface ZeroLogoutEnvInput {
  text: string;
  parsed: ParsedEnv;
  lines: LineIndex;
  /** The entry being rotated. */
  entry: EnvEntry;
  key: string;
  /** The value the target gets (the new secret). Secret. */
  newValue: string;
  plan: ZeroLogoutPlan;
  eol: string;
}

/** The previous-secrets value in `syntax`: `old` first, then what `existing` already lists (without `old` again). */
export function previousValue(syntax: PreviousSyntax, old: string, existing: string | undefined): string {
  if (syntax === 'single' || existing === undefined || existing.trim() === '') return syntax === 'json-list' ? JSON.stringify([old]) : old;
  if (syntax === 'comma-list') {
    if (old.includes(',')) throw new RotationError('the current value contains a comma, which a comma-separated list of previous keys cannot hold', 'blocked');
    return [old, ...existing.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== old)].join(',');
  }
  let list: unknown;
  try {
    list = JSON.parse(existing);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
    throw new RotationError('the existing previous-keys entry is not a JSON list of strings; fix or remove it first', 'blocked');
  }
  return JSON.stringify([old, ...(list).filter((s) => s !== old)]);
}

function serialize(value: string, entry: EnvEntry | undefined, key: string): string {
  try {
    return serializeEnvValue(value, entry?.quote ?? 'none');
  } catch (err) {
    if (err instanceof UnwritableValueError) throw new RotationError(`${key}: ${err.message}`, 'blocked');
    throw err;
  }
}

/** Offset just past the last line of `entry` (before its line break). */
function afterEntry(lines: LineIndex, entry: EnvEntry): number {
  return lines.lineContentEnd(lines.lineAt(entry.end));
}

/**
 * Edits that put the old value (or, for Auth.js, the new one) where the framework reads it, with
 * a `# rekey-previous:` mark recording the retire-by date.
 * @throws RotationError `blocked` when the existing previous-keys entry cannot be extended.
 */
export function zeroLogoutEnvEdits(input: ZeroLogoutEnvInput): ZeroLogoutEnvEdits {
  const { text, parsed, lines, entry, key, plan, eol } = input;
  const previousKey = plan.previousKey as string;
  const indent = text.slice(lines.offsetOfLine(entry.range.start.line), entry.start).replace(/[^ \t]/g, '');
  const exportPrefix = entry.exported ? 'export ' : '';
  const stage = plan.layout === 'stage-indexed';
  const mark = formatPreviousMark({ of: key, retireBy: plan.retireBy, framework: plan.framework, ...(stage ? { promote: true } : {}) });
  const value = stage ? input.newValue : previousValue(plan.syntax ?? 'single', entry.value, undefined);
  let existing: EnvEntry | undefined;
  for (const e of parsed.entries) if (e.key === previousKey) existing = e;
  const edits: RawEnvEdit[] = [];
  let written = value;
  if (existing && !stage) {
    written = previousValue(plan.syntax ?? 'single', entry.value, existing.value);
    edits.push({ start: existing.valueStart, end: existing.valueEnd, newText: serialize(written, existing, previousKey) });
    const old = readPreviousMark(text, existing);
    const lineStart = lines.offsetOfLine(existing.range.start.line);
    if (old) edits.push({ start: lines.offsetOfLine(old.line), end: lines.lineContentEnd(old.line), newText: `${indent}# ${mark}` });
    else if (/^[ \t]*$/.test(text.slice(lineStart, existing.start))) edits.push({ start: lineStart, end: lineStart, newText: `${indent}# ${mark}${eol}` });
  } else if (existing && stage) {
    throw new RotationError(`${previousKey} is already set: retire the rotation in progress first`, 'blocked');
  } else {
    const at = afterEntry(lines, entry);
    edits.push({ start: at, end: at, newText: `${eol}${indent}# ${mark}${eol}${indent}${exportPrefix}${previousKey}=${serialize(value, entry, previousKey)}` });
  }
  return { edits, expected: [[previousKey, written]], changed: [previousKey], replaceTarget: !stage };
}
