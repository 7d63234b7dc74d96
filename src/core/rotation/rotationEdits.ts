import { readRotatedAnnotation } from '../age/rotatedAnnotation';
import { parseEnv } from '../env/parse';
import type { EnvEntry, ParsedEnv } from '../env/types';
import { LineIndex, type Range } from '../text/lineIndex';
import { RotationError } from './errors';
import { isoDate, type RotationPlan } from './plan';
import { serializeEnvValue, UnwritableValueError } from '../env/serialize';
import { encodeUrlPassword, findUrlPassword } from './urlPassword';
import { zeroLogoutEnvEdits } from './zeroLogout/envEdits';
import type { ZeroLogoutPlan } from './zeroLogout/strategy';

/*
 * The text changes a rotation makes, computed once and shared by both writers: `applyRotation`
 * (files on disk) and the VS Code command (a `WorkspaceEdit`, so Undo works). Edits are offsets
 * into the text the plan was made from, plus the same span as a 0-based range.
 */

/** Replace `[start, end)` of the planned text with `newText`. `newText` may hold a secret. */
export interface RotationTextEdit {
  start: number;
  end: number;
  range: Range;
  newText: string;
}

/** Every edit to one file, in increasing, non-overlapping order. */
export interface FileRotationEdits {
  /** Absolute path. */
  file: string;
  edits: RotationTextEdit[];
}

/** Choices that may still change between planning and applying. */
export interface RotationEditOptions {
  /** Keep the old value as `KEY_PREVIOUS` (`true`) or this name; default: what the plan says. */
  keepPrevious?: string | true;
  /** Replace an encryption key in place; default: what the plan says. */
  force?: boolean;
  /** Date of the `# rotated:` annotation; default: the plan's date. */
  now?: Date;
  /** Rotate without logging anyone out when the plan offers it; default: what the plan says. */
  zeroLogout?: boolean;
}

/** A file's full change: the edits, the resulting text, and what dotenv must read from it. Secret. */
export interface FileChange extends FileRotationEdits {
  oldText: string;
  newText: string;
  /** Every key dotenv reads from `newText` and its value (last definition wins). */
  expected: Map<string, string>;
  /** Keys whose value changes (or that appear), for records and messages. */
  changedKeys: string[];
}

interface RawEdit {
  start: number;
  end: number;
  newText: string;
}

function lastByKey(parsed: ParsedEnv): Map<string, EnvEntry> {
  const m = new Map<string, EnvEntry>();
  for (const e of parsed.entries) m.set(e.key, e);
  return m;
}

function valuesOf(parsed: ParsedEnv): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of parsed.entries) m.set(e.key, e.value);
  return m;
}

function serialize(value: string, entry: EnvEntry | undefined, key: string): string {
  try {
    return serializeEnvValue(value, entry?.quote ?? 'none');
  } catch (err) {
    if (err instanceof UnwritableValueError) throw new RotationError(`${key}: ${err.message}`, 'blocked');
    throw err;
  }
}

const ROTATED_DATE = /(\brotated\s*[:=]\s*)\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?/i;

/** Updates the `# rotated:` annotation above `entry`, or inserts one directly above it. */
function annotationEdit(text: string, lines: LineIndex, entry: EnvEntry, date: string, eol: string): RawEdit | undefined {
  const existing = readRotatedAnnotation(text, entry);
  if (existing) {
    const start = lines.offsetOfLine(existing.line);
    const end = lines.lineContentEnd(existing.line);
    const content = text.slice(start, end);
    return { start, end, newText: content.replace(ROTATED_DATE, `$1${date}`) };
  }
  const lineStart = lines.offsetOfLine(entry.range.start.line);
  const lead = text.slice(lineStart, entry.start);
  // Something else shares the line (a dotenv corner case): leave it unannotated rather than break it.
  if (!/^[ \t]*$/.test(lead)) return undefined;
  return { start: lineStart, end: lineStart, newText: `${lead}# rotated: ${date}${eol}` };
}

/** Offset just past the last line of `entry` (before its line break), where new lines go. */
function afterEntry(lines: LineIndex, entry: EnvEntry): number {
  // The inline comment, if any, ends on the same line as the value.
  return lines.lineContentEnd(lines.lineAt(entry.end));
}

function mergeEdits(raw: RawEdit[], file: string): RawEdit[] {
  const sorted = [...raw].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: RawEdit[] = [];
  for (const e of sorted) {
    const prev = out[out.length - 1];
    if (prev && e.start < prev.end) throw new RotationError(`internal error: overlapping edits in ${file}`, 'blocked');
    if (prev && e.start === prev.end && (e.start === e.end || prev.start === prev.end)) {
      // Touching edits become one: VS Code and our writer then agree on the order.
      prev.newText += e.newText;
      prev.end = e.end;
    } else {
      out.push({ ...e });
    }
  }
  return out;
}

function applyEdits(text: string, edits: RawEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Resolves apply-time choices against the plan. */
export function rotationChoices(plan: RotationPlan, options: RotationEditOptions = {}): { mode: 'replace' | 'add-new'; newKey?: string; keepPrevious?: string; date: string; zeroLogout?: ZeroLogoutPlan } {
  const force = options.force ?? plan.force;
  const zl = plan.zeroLogout?.available && (options.zeroLogout ?? plan.zeroLogoutChosen) && options.keepPrevious === undefined ? plan.zeroLogout : undefined;
  // A framework that decrypts with its previous keys (Laravel) makes in-place replacement safe.
  const mode = plan.kind === 'encryption-key' && !force && !zl ? 'add-new' : 'replace';
  let keepPrevious = zl ? (zl.layout === 'move-previous' ? zl.previousKey : undefined) : plan.keepPrevious;
  if (options.keepPrevious !== undefined) keepPrevious = options.keepPrevious === true ? `${plan.key}_PREVIOUS` : options.keepPrevious;
  if (mode === 'add-new') keepPrevious = undefined;
  if (keepPrevious !== undefined && (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(keepPrevious) || keepPrevious === plan.key)) {
    throw new RotationError(`--keep-previous: ${JSON.stringify(keepPrevious)} cannot be used as a key name here`, 'invalid-option');
  }
  return {
    mode,
    ...(mode === 'add-new' ? { newKey: plan.newKey ?? `${plan.key}_NEW` } : {}),
    ...(keepPrevious !== undefined ? { keepPrevious } : {}),
    date: options.now ? isoDate(options.now) : plan.date,
    ...(zl ? { zeroLogout: zl } : {}),
  };
}

/**
 * The full change per file (edits, resulting text and the values dotenv must read from it).
 * Every file's result is re-parsed here, before anything is written: a change that would not
 * read back exactly is refused.
 * @throws RotationError `blocked` when the plan has blockers or no value; `verification-failed`
 * when the edited text would not read back as planned.
 */
export function computeFileChanges(plan: RotationPlan, options: RotationEditOptions = {}): FileChange[] {
  if (plan.blockers.length > 0) throw new RotationError(plan.blockers[0] as string, 'blocked');
  const newValue = plan.newValue;
  if (newValue === undefined) throw new RotationError(`no new value for ${plan.key}: create it at the provider and pass it in`, 'blocked');
  const choices = rotationChoices(plan, options);
  const byFile = new Map<string, { raw: RawEdit[]; expected: Map<string, string>; changed: string[]; text: string }>();
  const fileState = (file: string): { raw: RawEdit[]; expected: Map<string, string>; changed: string[]; text: string; parsed: ParsedEnv; lines: LineIndex; eol: string } => {
    const text = plan.sources.get(file);
    if (text === undefined) throw new RotationError(`internal error: no snapshot of ${file} in the plan`, 'blocked');
    const parsed = parseEnv(text);
    let st = byFile.get(file);
    if (!st) {
      st = { raw: [], expected: valuesOf(parsed), changed: [], text };
      byFile.set(file, st);
    }
    return { ...st, parsed, lines: new LineIndex(text), eol: parsed.eol };
  };

  // The target entry.
  const t = fileState(plan.file);
  const entry = t.parsed.entries[plan.target.entryIndex];
  if (!entry || entry.key !== plan.key) throw new RotationError(`internal error: ${plan.key} moved in the planned text`, 'blocked');
  const url = plan.target.part === 'url-password' ? findUrlPassword(entry.value) : undefined;
  const newTargetValue = url ? entry.value.slice(0, url.start) + encodeUrlPassword(newValue) + entry.value.slice(url.end) : newValue;
  const indent = t.text.slice(t.lines.offsetOfLine(entry.range.start.line), entry.start).replace(/[^ \t]/g, '');
  const exportPrefix = entry.exported ? 'export ' : '';
  if (choices.mode === 'add-new') {
    const newKey = choices.newKey as string;
    const raw = serialize(newTargetValue, entry, newKey);
    const at = afterEntry(t.lines, entry);
    t.raw.push({
      start: at, end: at,
      newText: `${t.eol}${indent}# rekey ${choices.date}: new ${plan.key} staged here; re-encrypt with both keys, then move it into ${plan.key} (see the runbook)${t.eol}${indent}${exportPrefix}${newKey}=${raw}`,
    });
    t.expected.set(newKey, newTargetValue);
    t.changed.push(newKey);
  } else {
    // Zero-logout: the old value (or Auth.js's staged new one) goes where the framework reads it.
    const zl = choices.zeroLogout ? zeroLogoutEnvEdits({ text: t.text, parsed: t.parsed, lines: t.lines, entry, key: plan.key, newValue: newTargetValue, plan: choices.zeroLogout, eol: t.eol }) : undefined;
    if (zl) {
      t.raw.push(...zl.edits);
      for (const [k, v] of zl.expected) t.expected.set(k, v);
      t.changed.push(...zl.changed);
    }
    if (!zl || zl.replaceTarget) {
      t.raw.push({ start: entry.valueStart, end: entry.valueEnd, newText: serialize(newTargetValue, entry, plan.key) });
      const ann = annotationEdit(t.text, t.lines, entry, choices.date, t.eol);
      if (ann) t.raw.push(ann);
      t.expected.set(plan.key, newTargetValue);
      t.changed.push(plan.key);
    }
    if (choices.keepPrevious && !zl) {
      const name = choices.keepPrevious;
      const existing = lastByKey(t.parsed).get(name);
      const raw = serialize(entry.value, existing ?? entry, name);
      if (existing) {
        t.raw.push({ start: existing.valueStart, end: existing.valueEnd, newText: raw });
      } else {
        const at = afterEntry(t.lines, entry);
        t.raw.push({
          start: at, end: at,
          newText: `${t.eol}${indent}# previous ${plan.key}, kept by rekey on ${choices.date}: remove once every consumer uses the new value${t.eol}${indent}${exportPrefix}${name}=${raw}`,
        });
      }
      t.expected.set(name, entry.value);
      t.changed.push(name);
    }

    // Linked entries that get the new value too.
    for (const l of plan.linked) {
      if (l.action !== 'rewrite' || (zl && !zl.replaceTarget)) continue;
      if (l.file === plan.file && l.key === choices.keepPrevious) continue;
      const f = fileState(l.file);
      const le = f.parsed.entries[l.entryIndex];
      if (!le || le.key !== l.key) throw new RotationError(`internal error: ${l.key} moved in the planned text`, 'blocked');
      const insert = l.relation === 'url-password' ? encodeUrlPassword(newValue) : newValue;
      const value = le.value.slice(0, l.span.start) + insert + le.value.slice(l.span.end);
      f.raw.push({ start: le.valueStart, end: le.valueEnd, newText: serialize(value, le, l.key) });
      const ann = annotationEdit(f.text, f.lines, le, choices.date, f.eol);
      if (ann) f.raw.push(ann);
      f.expected.set(l.key, value);
      f.changed.push(l.key);
    }
  }

  const out: FileChange[] = [];
  for (const [file, st] of byFile) {
    const merged = mergeEdits(st.raw, file);
    const newText = applyEdits(st.text, merged);
    const lines = new LineIndex(st.text);
    const change: FileChange = {
      file,
      edits: merged.map((e) => ({ ...e, range: lines.rangeOf(e.start, e.end) })),
      oldText: st.text,
      newText,
      expected: st.expected,
      changedKeys: st.changed,
    };
    const mismatch = readBackMismatch(newText, st.expected);
    if (mismatch) throw new RotationError(`the edited ${file} would not read back as planned (${mismatch}); nothing was written`, 'verification-failed');
    out.push(change);
  }
  return out;
}

/**
 * `undefined` when dotenv reads exactly `expected` from `text`, else a value-free description of
 * the first difference (key names only).
 */
export function readBackMismatch(text: string, expected: Map<string, string>): string | undefined {
  const got = valuesOf(parseEnv(text));
  for (const [k, v] of expected) {
    if (!got.has(k)) return `${k} is missing`;
    if (got.get(k) !== v) return `${k} has a different value`;
  }
  for (const k of got.keys()) if (!expected.has(k)) return `unexpected key ${k}`;
  return undefined;
}

/**
 * The per-file text edits of a rotation, for callers that apply them themselves (the VS Code
 * extension turns them into one `WorkspaceEdit`, so Undo reverts the whole rotation). The same
 * edits `applyRotation` writes. Edits carry the new value in `newText`: never log them.
 * @throws RotationError as {@link computeFileChanges}.
 */
export function computeRotationEdits(plan: RotationPlan, options: RotationEditOptions = {}): FileRotationEdits[] {
  return computeFileChanges(plan, options).map((c) => ({ file: c.file, edits: c.edits }));
}
