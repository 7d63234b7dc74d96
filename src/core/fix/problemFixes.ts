import { parseEnv } from '../env/parse';
import type { EnvEntry, ParsedEnv, ParseProblem } from '../env/types';
import { quoteForDotenv } from './quoteValue';
import { applyChanges } from './textChange';
import type { EnvFix } from './types';

/*
 * A fix for each parser problem that has one. Every fix is checked before it is offered: the
 * text is parsed again with the change applied and must read the same keys and values (or, for a
 * fix that changes meaning on purpose, differ only in the key it is about). A fix that would do
 * anything else is dropped rather than offered.
 */

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** End of the line holding `offset` (before its line break). */
function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** Past the line break at `offset` (which is a line end). */
function pastBreak(text: string, offset: number): number {
  if (text[offset] === '\r' && text[offset + 1] === '\n') return offset + 2;
  return offset < text.length ? offset + 1 : offset;
}

function entryAtKey(parsed: ParsedEnv, keyStart: number): EnvEntry | undefined {
  return parsed.entries.find((e) => e.keyStart === keyStart);
}

function entryOn(parsed: ParsedEnv, offset: number, key: string | undefined): EnvEntry | undefined {
  let found: EnvEntry | undefined;
  for (const e of parsed.entries) if (e.key === key && e.start <= offset) found = e;
  return found;
}

/** The values dotenv reads, last definition winning. */
export function readValues(parsed: ParsedEnv): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of parsed.entries) m.set(e.key, e.value);
  return m;
}

function sameExcept(a: Map<string, string>, b: Map<string, string>, except: ReadonlySet<string>): boolean {
  for (const [k, v] of a) if (!except.has(k) && b.get(k) !== v) return false;
  for (const k of b.keys()) if (!except.has(k) && !a.has(k)) return false;
  return true;
}

function duplicateKey(text: string, parsed: ParsedEnv, p: ParseProblem): EnvFix | undefined {
  const e = entryAtKey(parsed, p.start);
  if (!e) return undefined;
  const from = lineStart(text, e.start);
  const lastLineEnd = lineEnd(text, e.end);
  if (text.slice(from, e.start).trim() !== '') return undefined;
  const rest = text.slice(e.end, lastLineEnd).trim();
  if (rest !== '' && !rest.startsWith('#')) return undefined;
  const to = pastBreak(text, lastLineEnd);
  if (parsed.entries.some((o) => o !== e && o.start < to && o.end > from)) return undefined;
  return {
    code: p.code, title: `Remove this earlier definition of ${e.key} (dotenv uses the last one)`,
    changes: [{ start: from, end: to, newText: '' }], changesMeaning: false, problemStart: p.start, problemEnd: p.end, key: e.key,
  };
}

function requote(text: string, parsed: ParsedEnv, p: ParseProblem): EnvFix | undefined {
  const e = entryOn(parsed, p.start, p.key);
  if (!e || e.quote !== 'none' || e.valueStart !== p.start) return undefined;
  const next = text[e.valueEnd];
  if (next !== undefined && !/[ \t\r\n]/.test(next)) return undefined;
  const quoted = quoteForDotenv(e.value);
  if (!quoted) return undefined;
  return {
    code: p.code, title: `Quote the value of ${e.key}`,
    changes: [{ start: e.valueStart, end: e.valueEnd, newText: quoted }], changesMeaning: false, problemStart: p.start, problemEnd: p.end, key: e.key,
  };
}

function hashInValue(text: string, parsed: ParsedEnv, p: ParseProblem): EnvFix | undefined {
  const e = entryOn(parsed, p.start, p.key);
  if (!e || e.quote !== 'none' || p.start < e.valueStart) return undefined;
  const end = lineEnd(text, p.start);
  // The value as the author wrote it: up to a `#` that has a blank before it (a real comment).
  const comment = /[ \t]#/.exec(text.slice(p.start, end));
  let stop = comment ? p.start + comment.index : end;
  while (stop > e.valueStart && /[ \t]/.test(text[stop - 1] as string)) stop--;
  const intended = text.slice(e.valueStart, stop);
  const quoted = quoteForDotenv(intended);
  if (!quoted) return undefined;
  return {
    code: p.code, title: `Quote the value of ${e.key} so dotenv keeps the # (changes the value)`,
    changes: [{ start: e.valueStart, end: stop, newText: quoted }], changesMeaning: true, problemStart: p.start, problemEnd: p.end, key: e.key,
  };
}

function separator(text: string, p: ParseProblem, parsed: ParsedEnv, sep: '=' | ':'): EnvFix | undefined {
  const e = sep === '=' ? entryOn(parsed, p.start, p.key) : entryAtKey(parsed, p.start);
  if (!e) return undefined;
  const from = e.keyStart + e.key.length;
  const to = e.rawValue === '' ? (sep === '=' ? p.end : from + (text.slice(from).match(/^[ \t]*:[ \t]*/)?.[0].length ?? 0)) : e.valueStart;
  const between = text.slice(from, to);
  if (!(sep === '=' ? /^[ \t]*=[ \t]*$/ : /^[ \t]*:[ \t]*$/).test(between)) return undefined;
  return {
    code: p.code, title: sep === '=' ? `Remove the spaces around = in ${e.key}` : `Write ${e.key}=value instead of ${e.key}: value`,
    changes: [{ start: from, end: to, newText: '=' }], changesMeaning: false, problemStart: p.start, problemEnd: p.end, key: e.key,
  };
}

function lowercaseKey(text: string, parsed: ParsedEnv, p: ParseProblem): EnvFix | undefined {
  const e = entryAtKey(parsed, p.start);
  if (!e) return undefined;
  const upper = e.key.toUpperCase();
  if (upper === e.key || parsed.entries.some((o) => o.key === upper)) return undefined;
  if (text.slice(e.keyStart, e.keyStart + e.key.length) !== e.key) return undefined;
  return {
    code: p.code, title: `Rename ${e.key} to ${upper} (code that reads ${e.key} must change too)`,
    changes: [{ start: e.keyStart, end: e.keyStart + e.key.length, newText: upper }], changesMeaning: true, problemStart: p.start, problemEnd: p.end, key: e.key,
  };
}

function crlf(text: string, p: ParseProblem): EnvFix {
  const changes = [];
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) {
    changes.push(text[i + 1] === '\n' ? { start: i, end: i + 1, newText: '' } : { start: i, end: i + 1, newText: '\n' });
  }
  return { code: p.code, title: 'Use LF line endings in this file', changes, changesMeaning: false, problemStart: p.start, problemEnd: p.end };
}

function unverified(text: string, parsed: ParsedEnv, p: ParseProblem): EnvFix | undefined {
  switch (p.code) {
    case 'duplicate-key':
      return duplicateKey(text, parsed, p);
    case 'unquoted-spaces':
      return requote(text, parsed, p);
    case 'hash-in-value':
      return hashInValue(text, parsed, p);
    case 'spaces-around-equals':
      return separator(text, p, parsed, '=');
    case 'colon-separator':
      return separator(text, p, parsed, ':');
    case 'lowercase-key':
      return lowercaseKey(text, parsed, p);
    case 'trailing-whitespace':
      return { code: p.code, title: 'Remove trailing whitespace', changes: [{ start: p.start, end: p.end, newText: '' }], changesMeaning: false, problemStart: p.start, problemEnd: p.end };
    case 'crlf':
      return crlf(text, p);
    case 'bom':
      return text.charCodeAt(0) === 0xfeff
        ? { code: p.code, title: 'Remove the byte order mark', changes: [{ start: 0, end: 1, newText: '' }], changesMeaning: false, problemStart: p.start, problemEnd: p.end }
        : undefined;
    case 'missing-final-newline':
      return { code: p.code, title: 'Add a newline at the end of the file', changes: [{ start: text.length, end: text.length, newText: parsed.eol }], changesMeaning: false, problemStart: p.start, problemEnd: p.end };
    default:
      return undefined;
  }
}

/** Whether applying `fix` to `text` reads as promised (see {@link EnvFix.changesMeaning}). */
export function fixKeepsPromise(text: string, parsed: ParsedEnv, fix: EnvFix): boolean {
  const before = readValues(parsed);
  const after = readValues(parseEnv(applyChanges(text, fix.changes)));
  if (!fix.changesMeaning) return sameExcept(before, after, new Set());
  const touched = new Set<string>(fix.key !== undefined ? [fix.key, fix.key.toUpperCase()] : []);
  return sameExcept(before, after, touched);
}

/**
 * The fix for one parser problem of `text`, or undefined when the problem has none (lines dotenv
 * ignores, unclosed quotes: only the author knows what was meant) or the fix would not read back
 * as promised.
 */
export function fixForProblem(text: string, parsed: ParsedEnv, problem: ParseProblem): EnvFix | undefined {
  const fix = unverified(text, parsed, problem);
  if (!fix || fix.changes.length === 0) return undefined;
  return fixKeepsPromise(text, parsed, fix) ? fix : undefined;
}

/** Every fix for the problems of `text`, in problem order. */
export function fixesFor(text: string, parsed: ParsedEnv = parseEnv(text)): EnvFix[] {
  const out: EnvFix[] = [];
  for (const p of parsed.problems) {
    const f = fixForProblem(text, parsed, p);
    if (f) out.push(f);
  }
  return out;
}
