import { LineIndex } from '../text/lineIndex';
import type { EnvEntry, ParsedEnv, ParseProblem, ProblemCode, ProblemSeverity, QuoteStyle } from './types';

/*
 * A scanner that reads `.env` text exactly as `dotenv.parse` (default mode) does, while keeping the
 * position of everything it reads.
 *
 * dotenv's reference is one global, multiline regular expression:
 *
 *   /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|
 *    \s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/mg
 *
 * applied to the text with `\r\n?` turned into `\n`, then `trim()`, outer-quote stripping and, for
 * double quotes, `\n`/`\r` escape expansion. Its backtracking order decides which reading wins, and
 * several of its corners surprise people (`\s` crosses line breaks, `#` ends an unquoted value even
 * without a space, a quote that is not followed by end of line or a comment falls back to the raw
 * text). The functions below replay that search deterministically in one forward pass; the
 * equivalence is checked against dotenv itself by corpus and property tests.
 */

const KEY_CHAR = new Uint8Array(128);
for (let c = 48; c <= 57; c++) KEY_CHAR[c] = 1;
for (let c = 65; c <= 90; c++) KEY_CHAR[c] = 1;
for (let c = 97; c <= 122; c++) KEY_CHAR[c] = 1;
KEY_CHAR[95] = KEY_CHAR[46] = KEY_CHAR[45] = 1; // _ . -

/** JavaScript's `\s`, which is also what `String.prototype.trim` removes. */
function isWs(c: number): boolean {
  return c <= 32
    ? c === 32 || (c >= 9 && c <= 13)
    : c >= 160 &&
        (c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 ||
          c === 8239 || c === 8287 || c === 12288 || c === 65279);
}

/** Line terminators for the regex's `^`, `$` and `.` (`\r` cannot occur after normalisation). */
function isLt(c: number): boolean {
  return c === 10 || c === 8232 || c === 8233 || c === 13;
}

function isQuote(c: number): boolean {
  return c === 39 || c === 34 || c === 96;
}

const QUOTE_STYLE: Record<string, QuoteStyle> = { "'": 'single', '"': 'double', '`': 'backtick' };

/** What one successful match of dotenv's expression covers, in normalised offsets. */
interface RawMatch {
  entryStart: number; // `export` or the key
  keyStart: number;
  keyEnd: number;
  sepPos: number;
  separator: '=' | ':';
  exported: boolean;
  /** Start/end of the trimmed value text (the part dotenv keeps before stripping quotes). */
  rawStart: number;
  rawEnd: number;
  /** The quoted alternative matched (closing quote found and followed by blank/comment/EOL). */
  quotedBranch: boolean;
  /** `#` of a comment found by the tail, or -1. */
  commentStart: number;
  commentEnd: number;
  matchEnd: number;
}

class Scanner {
  private readonly n: number;
  private readonly unicodeLt: boolean;

  constructor(private readonly t: string) {
    this.n = t.length;
    this.unicodeLt = t.indexOf('\u2028') !== -1 || t.indexOf('\u2029') !== -1;
  }

  skipWs(i: number): number {
    const t = this.t;
    while (i < this.n && isWs(t.charCodeAt(i))) i++;
    return i;
  }

  /** First line terminator at or after `i`, or -1. */
  nextLt(i: number): number {
    if (!this.unicodeLt) return this.t.indexOf('\n', i);
    for (; i < this.n; i++) if (isLt(this.t.charCodeAt(i))) return i;
    return -1;
  }

  scanKey(i: number): number {
    const t = this.t;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c < 128 && KEY_CHAR[c] === 1) i++;
      else return i;
    }
  }

  /** `(?:\s*=\s*?|:\s+?)` after the key; returns the offset where the value group starts. */
  matchSeparator(keyEnd: number): { q: number; sepPos: number; separator: '=' | ':' } | undefined {
    const m = this.skipWs(keyEnd);
    if (this.t.charCodeAt(m) === 61) return { q: m + 1, sepPos: m, separator: '=' };
    if (this.t.charCodeAt(keyEnd) === 58 && isWs(this.t.charCodeAt(keyEnd + 1))) {
      return { q: keyEnd + 2, sepPos: keyEnd, separator: ':' };
    }
    return undefined;
  }

  /**
   * `\s*(?:#.*)?(?:$|$)` at `i`: where the match ends, the comment it took, or -1 when it fails.
   * Greedy `\s*` first (so a comment on a later line is swallowed), then back off to the last
   * line terminator inside the blank run.
   */
  tail(i: number): { end: number; comment: number } | undefined {
    const t = this.t;
    let lastLt = -1;
    let w = i;
    while (w < this.n) {
      const c = t.charCodeAt(w);
      if (!isWs(c)) break;
      if (isLt(c)) lastLt = w;
      w++;
    }
    if (w >= this.n) return { end: this.n, comment: -1 };
    if (t.charCodeAt(w) === 35) {
      const e = this.nextLt(w);
      return { end: e === -1 ? this.n : e, comment: w };
    }
    if (lastLt !== -1) return { end: lastLt, comment: -1 };
    return undefined;
  }

  /** One attempt of the expression at the first non-blank offset `a` of a line start. */
  attempt(a: number): RawMatch | undefined {
    const t = this.t;
    let exported = false;
    let keyStart = a;
    let keyEnd = -1;
    let sep: ReturnType<Scanner['matchSeparator']>;
    if (t.startsWith('export', a) && isWs(t.charCodeAt(a + 6))) {
      const b = this.skipWs(a + 6);
      const ke = this.scanKey(b);
      if (ke > b) {
        sep = this.matchSeparator(ke);
        if (sep) {
          exported = true;
          keyStart = b;
          keyEnd = ke;
        }
      }
    }
    if (!exported) {
      keyEnd = this.scanKey(a);
      if (keyEnd === a) return undefined;
      sep = this.matchSeparator(keyEnd);
    }
    if (!sep) return undefined;
    const q = sep.q;
    const base = { entryStart: a, keyStart, keyEnd, sepPos: sep.sepPos, separator: sep.separator, exported };

    // Quoted alternatives: `\s*Q(?:\\Q|[^Q])*Q`, then the tail. The first non-blank character
    // decides the quote; closing candidates are tried from the first unescaped quote back through
    // the escaped ones, exactly in backtracking order.
    const f = this.skipWs(q);
    const fc = t.charCodeAt(f);
    if (isQuote(fc)) {
      const quote = t[f] as string;
      const body = f + 1;
      const escaped: number[] = [];
      let firstUnescaped = -1;
      let r = t.indexOf(quote, body);
      while (r !== -1) {
        if (r > body && t.charCodeAt(r - 1) === 92) {
          escaped.push(r);
          r = t.indexOf(quote, r + 1);
        } else {
          firstUnescaped = r;
          break;
        }
      }
      const tryClose = (close: number): RawMatch | undefined => {
        const tl = this.tail(close + 1);
        if (!tl) return undefined;
        return {
          ...base, rawStart: f, rawEnd: close + 1, quotedBranch: true,
          commentStart: tl.comment, commentEnd: tl.comment === -1 ? -1 : tl.end, matchEnd: tl.end,
        };
      };
      if (firstUnescaped !== -1) {
        const m = tryClose(firstUnescaped);
        if (m) return m;
      }
      for (let k = escaped.length - 1; k >= 0; k--) {
        const m = tryClose(escaped[k] as number);
        if (m) return m;
      }
    }

    // `[^#\r\n]+`: always succeeds when it can take one character (its tail cannot fail).
    const qc = t.charCodeAt(q);
    if (q < this.n && qc !== 35 && qc !== 10) {
      let e = q;
      while (e < this.n) {
        const c = t.charCodeAt(e);
        if (c === 35 || c === 10) break;
        e++;
      }
      let rs = q;
      while (rs < e && isWs(t.charCodeAt(rs))) rs++;
      let re = e;
      while (re > rs && isWs(t.charCodeAt(re - 1))) re--;
      const tl = this.tail(e) as { end: number; comment: number };
      return {
        ...base, rawStart: rs, rawEnd: re, quotedBranch: false,
        commentStart: tl.comment, commentEnd: tl.comment === -1 ? -1 : tl.end, matchEnd: tl.end,
      };
    }

    // The value group is skipped; the tail always succeeds here (`#`, line end or end of text).
    const tl = this.tail(q) as { end: number; comment: number };
    return {
      ...base, rawStart: q, rawEnd: q, quotedBranch: false,
      commentStart: tl.comment, commentEnd: tl.comment === -1 ? -1 : tl.end, matchEnd: tl.end,
    };
  }

  /** All matches, in order, as `RegExp.prototype.exec` with the `g` flag would find them. */
  *matches(): Generator<RawMatch> {
    const t = this.t;
    let pos = 0;
    while (pos <= this.n) {
      let s = pos;
      if (s > 0 && !isLt(t.charCodeAt(s - 1))) {
        const lt = this.nextLt(pos);
        if (lt === -1) return;
        s = lt + 1;
      }
      const a = this.skipWs(s);
      if (a >= this.n) return;
      const m = this.attempt(a);
      if (!m) {
        // Every line start between s and a skips to the same `a` and fails the same way.
        pos = a + 1;
        continue;
      }
      yield m;
      pos = m.matchEnd;
    }
  }
}

/** The value transformation dotenv applies after the match: trim, strip quotes, expand escapes. */
function finishValue(raw: string): { value: string; quote: QuoteStyle } {
  const mq = raw[0];
  let value = raw;
  let stripped = false;
  if (raw.indexOf('\n') === -1 && raw.indexOf('\u2028') === -1 && raw.indexOf('\u2029') === -1) {
    if (raw.length >= 2 && mq !== undefined && isQuote(raw.charCodeAt(0)) && raw[raw.length - 1] === mq) {
      value = raw.slice(1, -1);
      stripped = true;
    }
  } else {
    // Multi-line: `^`/`$` match at every line, so let the same expression decide.
    value = raw.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
    stripped = value.length !== raw.length && mq !== undefined && isQuote(raw.charCodeAt(0)) && raw[raw.length - 1] === mq;
  }
  if (mq === '"' && value.indexOf('\\') !== -1) {
    value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
  }
  return { value, quote: stripped && mq !== undefined ? (QUOTE_STYLE[mq] as QuoteStyle) : 'none' };
}

/** Maps offsets in the `\r\n?`→`\n` normalised text back to the original text. */
function originalOffsetMapper(source: string): (n: number) => number {
  const crlf: number[] = []; // normalised offsets of `\n` that were `\r\n`
  let removed = 0;
  for (let i = source.indexOf('\r'); i !== -1; i = source.indexOf('\r', i + 1)) {
    if (source.charCodeAt(i + 1) === 10) {
      crlf.push(i - removed);
      removed++;
    }
  }
  if (crlf.length === 0) return (n) => n;
  return (n) => {
    let lo = 0;
    let hi = crlf.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((crlf[mid] as number) < n) lo = mid + 1;
      else hi = mid;
    }
    return n + lo;
  };
}

const MESSAGES: Record<ProblemCode, { severity: ProblemSeverity; message: string }> = {
  'no-equals': { severity: 'warning', message: 'dotenv ignores this line: it has no `=`.' },
  'invalid-key': {
    severity: 'warning',
    message: 'dotenv ignores this line: a key may only contain letters, digits, `_`, `.` and `-`, followed by `=`.',
  },
  'unterminated-quote': {
    severity: 'warning',
    message: 'The value opens a quote that is not closed before the end of the line; dotenv keeps the quote character as part of the value.',
  },
  'text-after-quote': {
    severity: 'warning',
    message: 'Text follows the closing quote; dotenv then reads the whole value literally, quotes included.',
  },
  'duplicate-key': { severity: 'warning', message: 'defined again later in this file; dotenv uses the last definition.' },
  'spaces-around-equals': {
    severity: 'info',
    message: 'Spaces around `=`: dotenv accepts them, but shells, Docker Compose `env_file` and many other loaders do not.',
  },
  'unquoted-spaces': {
    severity: 'info',
    message: 'Unquoted value with spaces: dotenv keeps them, but a shell `source` splits the value. Quote it.',
  },
  'lowercase-key': { severity: 'info', message: 'Lowercase key: environment variable names are conventionally upper case.' },
  'hash-in-value': {
    severity: 'warning',
    message: '`#` starts a comment even without a space before it: dotenv cuts the unquoted value there. Quote the value to keep the `#`.',
  },
  'entry-spans-lines': {
    severity: 'warning',
    message: 'This entry continues on a later line: dotenv reads across the line break, which is rarely intended.',
  },
  'colon-separator': {
    severity: 'info',
    message: '`KEY: value` form: dotenv accepts it, but most other loaders expect `KEY=value`.',
  },
  'reserved-key': { severity: 'error', message: 'dotenv cannot set `__proto__`: the entry is silently dropped.' },
  bom: { severity: 'info', message: 'The file starts with a byte order mark; dotenv skips it as whitespace, other tools may not.' },
  crlf: { severity: 'info', message: 'Windows (CRLF) line endings: dotenv reads them as LF, shells may keep the `\\r` in values.' },
  'trailing-whitespace': { severity: 'info', message: 'Trailing whitespace.' },
  'missing-final-newline': { severity: 'info', message: 'The file does not end with a newline.' },
};

/**
 * Parses `.env` text the way `dotenv.parse` does (default mode) and reports where every entry is.
 *
 * For every input, building a map from `entries` (last duplicate wins) yields exactly what
 * `dotenv.parse(source)` returns. `problems` lists lines dotenv ignores or reads in a way the
 * author probably did not intend; problem messages never include values.
 */
export function parseEnv(source: string): ParsedEnv {
  const hasCr = source.indexOf('\r') !== -1;
  const t = hasCr ? source.replace(/\r\n?/g, '\n') : source;
  const orig = hasCr ? originalOffsetMapper(source) : (n: number) => n;
  const lines = new LineIndex(source);
  const entries: EnvEntry[] = [];
  const problems: ParseProblem[] = [];
  const problem = (code: ProblemCode, start: number, end: number, key?: string, message?: string): void => {
    const spec = MESSAGES[code];
    const p: ParseProblem = { code, severity: spec.severity, message: message ?? spec.message, range: lines.rangeOf(start, end) };
    if (key !== undefined) p.key = key;
    problems.push(p);
  };

  const lastByKey = new Map<string, number>();
  // Lines an entry covers, to find the lines dotenv skipped.
  const covered: Array<[number, number]> = [];
  const scanner = new Scanner(t);

  for (const m of scanner.matches()) {
    const key = t.slice(m.keyStart, m.keyEnd);
    const raw = t.slice(m.rawStart, m.rawEnd);
    const { value, quote } = finishValue(raw);
    const start = orig(m.entryStart);
    const keyStart = orig(m.keyStart);
    const keyEnd = orig(m.keyEnd);
    const valueStart = orig(m.rawStart);
    const valueEnd = orig(m.rawEnd);
    const end = m.rawEnd > m.sepPos ? valueEnd : orig(m.sepPos + 1);
    const range = lines.rangeOf(start, end);
    const keyRange = lines.rangeOf(keyStart, keyEnd);
    const valueRange = lines.rangeOf(valueStart, valueEnd);
    const entry: EnvEntry = {
      key, value, rawValue: hasCr ? source.slice(valueStart, valueEnd) : raw, quote,
      exported: m.exported, multiline: valueRange.start.line !== valueRange.end.line, separator: m.separator,
      range, keyRange, valueRange, start, end,
      keyStart, valueStart, valueEnd, index: entries.length,
    };
    if (m.commentStart !== -1) {
      const cs = orig(m.commentStart);
      const commentRange = lines.rangeOf(cs, orig(m.commentEnd));
      if (commentRange.start.line === valueRange.end.line) {
        entry.inlineComment = { text: source.slice(cs, orig(m.commentEnd)), range: commentRange };
      }
    }
    entries.push(entry);

    const previous = lastByKey.get(key);
    if (previous !== undefined) {
      const prev = entries[previous] as EnvEntry;
      problem('duplicate-key', prev.keyStart, prev.keyStart + key.length, key,
        `\`${key}\` is defined again on line ${range.start.line + 1}; dotenv uses the last definition.`);
    }
    lastByKey.set(key, entry.index);
    covered.push([range.start.line, lines.lineAt(orig(m.matchEnd))]);
    checkEntry(entry, m, t, problem, orig, lines);
  }

  // Lines that no entry covers and that are neither blank nor comments: dotenv skipped them.
  let nextLine = 0;
  const flagGap = (from: number, to: number): void => {
    for (let line = from; line < to; line++) {
      const ls = lines.offsetOfLine(line);
      const le = lines.lineContentEnd(line);
      let i = ls;
      while (i < le && isWs(source.charCodeAt(i))) i++;
      if (i >= le || source.charCodeAt(i) === 35) continue;
      let e = le;
      while (e > i && isWs(source.charCodeAt(e - 1))) e--;
      const text = source.slice(i, e);
      if (/^export\s+[\w.-]+$/.test(text)) {
        problem('no-equals', i, e, undefined, 'dotenv ignores `export NAME` without `=`: it only sets variables that have a value.');
      } else if (text.includes('=') || /^[\w.-]+:/.test(text)) {
        problem('invalid-key', i, e, undefined, /^[\w.-]+:\S/.test(text)
          ? 'dotenv ignores this line: in the `KEY: value` form the colon must be followed by a space.'
          : undefined);
      } else {
        problem('no-equals', i, e);
      }
    }
  };
  for (const [a, b] of covered) {
    flagGap(nextLine, a);
    nextLine = Math.max(nextLine, b + 1);
  }
  flagGap(nextLine, lines.lineCount);

  // File-level observations.
  const hasBom = source.charCodeAt(0) === 0xfeff;
  if (hasBom) problem('bom', 0, 1);
  if (hasCr) {
    const first = source.indexOf('\r');
    problem('crlf', first, first);
  }
  if (source.length > 0 && !isLt(source.charCodeAt(source.length - 1))) {
    problem('missing-final-newline', source.length, source.length);
  }
  const multilineValues = entries.filter((e) => e.multiline);
  const trailing = /[ \t]+(?=\r?\n|\r|$)/g;
  let tw: RegExpExecArray | null;
  let mv = 0;
  while ((tw = trailing.exec(source)) !== null) {
    if (tw[0].length === 0) {
      trailing.lastIndex++;
      continue;
    }
    const at = tw.index;
    while (mv < multilineValues.length && (multilineValues[mv] as EnvEntry).valueEnd <= at) mv++;
    const inside = mv < multilineValues.length && (multilineValues[mv] as EnvEntry).valueStart <= at;
    if (!inside) problem('trailing-whitespace', at, at + tw[0].length);
  }

  problems.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
  const crlfCount = hasCr ? source.split('\r\n').length - 1 : 0;
  return {
    entries,
    problems,
    lineCount: lines.lineCount,
    eol: crlfCount * 2 > lines.lineCount - 1 ? '\r\n' : '\n',
    hasBom,
  };
}

function checkEntry(
  entry: EnvEntry,
  m: RawMatch,
  t: string,
  problem: (code: ProblemCode, start: number, end: number, key?: string, message?: string) => void,
  orig: (n: number) => number,
  lines: LineIndex,
): void {
  const { key } = entry;
  const keySpan: [number, number] = [entry.keyStart, entry.keyStart + key.length];
  if (key === '__proto__') problem('reserved-key', ...keySpan, key);
  if (/[a-z]/.test(key)) problem('lowercase-key', ...keySpan, key);
  if (m.separator === ':') problem('colon-separator', ...keySpan, key);

  const sepLine = lines.lineAt(orig(m.sepPos));
  const spans =
    entry.keyRange.start.line !== sepLine ||
    (m.rawEnd > m.rawStart && entry.valueRange.start.line !== sepLine) ||
    lines.lineAt(orig(m.entryStart)) !== entry.keyRange.start.line;
  if (spans) problem('entry-spans-lines', entry.start, entry.end, key);

  if (m.separator === '=') {
    const beforeEq = m.sepPos > m.keyEnd && !spans;
    const afterEq = m.rawEnd > m.rawStart && m.rawStart > m.sepPos + 1 && !spans;
    if (beforeEq || afterEq) problem('spaces-around-equals', orig(m.keyEnd), orig(m.rawStart > m.sepPos ? m.rawStart : m.sepPos + 1), key);
  }

  if (!m.quotedBranch) {
    const raw = t.slice(m.rawStart, m.rawEnd);
    const first = raw.charCodeAt(0);
    if (entry.quote === 'none' && isQuote(first)) {
      const closes = raw.indexOf(raw[0] as string, 1) !== -1;
      problem(closes ? 'text-after-quote' : 'unterminated-quote', entry.valueStart, entry.valueEnd, key);
    } else if (entry.quote === 'none' && /[ \t]/.test(raw)) {
      problem('unquoted-spaces', entry.valueStart, entry.valueEnd, key);
    }
    // `#` glued to the value (or right after `=`) is a comment to dotenv, not part of the value.
    if (m.commentStart !== -1 && m.commentStart > m.sepPos) {
      const before = t.charCodeAt(m.commentStart - 1);
      const sameLine = t.lastIndexOf('\n', m.commentStart) < m.sepPos;
      if (sameLine && !isWs(before)) problem('hash-in-value', orig(m.commentStart), orig(m.commentStart) + 1, key);
    }
  }
}
