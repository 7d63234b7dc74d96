import { LineIndex, type Range } from '../text/lineIndex';
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

/** `\s*`; JavaScript's `\s` is exactly isWs(). */
const WS = /\s*/y;

/*
 * The entries most files consist of, matched natively at the first non-blank of a line:
 * `[export ]KEY[ ]=[ ]VALUE[ ][#comment]` up to the line end, VALUE either plain (not starting
 * with a quote, no `#`) or a closed quote whose body holds no quote of its kind and does not end
 * in a backslash, or empty. Only blanks (space, tab) may sit between the parts, so nothing of
 * `\s`'s reach across lines is involved; where dotenv would read further (a comment or blank lines
 * after the value's line), what it adds is a comment line or blanks, which change no entry.
 * Groups: 1 `export `, 2 key, 3 blanks before `=`, 4 blanks after it, 5 plain value, 6 quoted
 * value, 7 blanks after the value, 8 comment.
 * No two quantifiers here can divide the same run of characters between them in more than a
 * linear number of ways, so a failing line costs time linear in its length (the quoted body may
 * run to the next quote of its kind, which attempt() then searches for as well).
 */
const COMMON =
  /(export[ \t]+)?([\w.-]+)([ \t]*)=(?:([ \t]*)(?:([^\s#'"`](?:[^#\n]*[^\s#])?)|("(?:[^"]*[^"\\])?"|'(?:[^']*[^'\\])?'|`(?:[^`]*[^`\\])?`)))?([ \t]*)(#[^\n]*)?(?=\n|$)/y;

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
  /** No line break from `entryStart` to the end of the value and its comment (then nobody looks). */
  singleLine: boolean;
  /** The key's text when the match already holds it, else undefined (sliced by the caller). */
  keyText: string | undefined;
  /** The value dotenv yields when the match already holds it (an unquoted one-line value). */
  valueText: string | undefined;
}

export class Scanner {
  private readonly n: number;
  readonly unicodeLt: boolean;

  constructor(private readonly t: string) {
    this.n = t.length;
    this.unicodeLt = t.indexOf('\u2028') !== -1 || t.indexOf('\u2029') !== -1;
  }

  skipWs(i: number): number {
    // Most calls skip nothing: one comparison instead of a call into the regex engine.
    if (i >= this.n || !isWs(this.t.charCodeAt(i))) return i;
    WS.lastIndex = i;
    WS.test(this.t);
    return WS.lastIndex;
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

  // Results of matchSeparator and tail, kept in fields: allocating an object per call is what
  // made a 100k-key parse slower than dotenv (garbage collection).
  private sepPos = -1;
  private sepChar: '=' | ':' = '=';
  private tailComment = -1;
  private readonly match: RawMatch = {
    entryStart: 0, keyStart: 0, keyEnd: 0, sepPos: 0, separator: '=', exported: false,
    rawStart: 0, rawEnd: 0, quotedBranch: false, commentStart: -1, commentEnd: -1, matchEnd: 0,
    singleLine: false, keyText: undefined, valueText: undefined,
  };

  /** `(?:\s*=\s*?|:\s+?)` after the key: the offset where the value group starts, or -1. */
  matchSeparator(keyEnd: number): number {
    const m = this.skipWs(keyEnd);
    if (this.t.charCodeAt(m) === 61) {
      this.sepPos = m;
      this.sepChar = '=';
      return m + 1;
    }
    if (this.t.charCodeAt(keyEnd) === 58 && isWs(this.t.charCodeAt(keyEnd + 1))) {
      this.sepPos = keyEnd;
      this.sepChar = ':';
      return keyEnd + 2;
    }
    return -1;
  }

  /**
   * `\s*(?:#.*)?(?:$|$)` at `i`: where the match ends (the comment it took in `tailComment`), or
   * -1 when it fails.
   * Greedy `\s*` first (so a comment on a later line is swallowed), then back off to the last
   * line terminator inside the blank run.
   */
  tail(i: number): number {
    const t = this.t;
    let lastLt = -1;
    let w = i;
    while (w < this.n) {
      const c = t.charCodeAt(w);
      if (!isWs(c)) break;
      if (isLt(c)) lastLt = w;
      w++;
    }
    this.tailComment = -1;
    if (w >= this.n) return this.n;
    if (t.charCodeAt(w) === 35) {
      const e = this.nextLt(w);
      this.tailComment = w;
      return e === -1 ? this.n : e;
    }
    return lastLt;
  }

  /** One attempt of the expression at the first non-blank offset `a` of a line start. */
  attempt(a: number): RawMatch | undefined {
    const t = this.t;
    let exported = false;
    let keyStart = a;
    let keyEnd = -1;
    let q = -1;
    if (t.startsWith('export', a) && isWs(t.charCodeAt(a + 6))) {
      const b = this.skipWs(a + 6);
      const ke = this.scanKey(b);
      if (ke > b) {
        q = this.matchSeparator(ke);
        if (q !== -1) {
          exported = true;
          keyStart = b;
          keyEnd = ke;
        }
      }
    }
    if (!exported) {
      keyEnd = this.scanKey(a);
      if (keyEnd === a) return undefined;
      q = this.matchSeparator(keyEnd);
    }
    if (q === -1) return undefined;
    let rawStart = q;
    let rawEnd = q;
    let quotedBranch = false;
    let tl = -1;

    // Quoted alternatives: `\s*Q(?:\\Q|[^Q])*Q`, then the tail. The first non-blank character
    // decides the quote; closing candidates are tried from the first unescaped quote back through
    // the escaped ones, exactly in backtracking order.
    const f = this.skipWs(q);
    if (isQuote(t.charCodeAt(f))) {
      const quote = t[f] as string;
      const body = f + 1;
      let escaped: number[] | undefined;
      let firstUnescaped = -1;
      let r = t.indexOf(quote, body);
      while (r !== -1) {
        if (r > body && t.charCodeAt(r - 1) === 92) {
          (escaped ??= []).push(r);
          r = t.indexOf(quote, r + 1);
        } else {
          firstUnescaped = r;
          break;
        }
      }
      if (firstUnescaped !== -1) {
        tl = this.tail(firstUnescaped + 1);
        if (tl !== -1) rawEnd = firstUnescaped + 1;
      }
      for (let k = (escaped?.length ?? 0) - 1; tl === -1 && k >= 0; k--) {
        const close = (escaped as number[])[k] as number;
        tl = this.tail(close + 1);
        if (tl !== -1) rawEnd = close + 1;
      }
      if (tl !== -1) {
        rawStart = f;
        quotedBranch = true;
      }
    }

    if (tl === -1) {
      const qc = t.charCodeAt(q);
      if (q < this.n && qc !== 35 && qc !== 10) {
        // `[^#\r\n]+`: always succeeds when it can take one character (its tail cannot fail).
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
        rawStart = rs;
        rawEnd = re;
        tl = this.tail(e);
      } else {
        // The value group is skipped; the tail always succeeds here (`#`, line end or end of text).
        tl = this.tail(q);
      }
    }
    // Unreachable by the reasoning above; kept so a mistake there fails loudly, not silently.
    if (tl === -1) throw new Error('dotenv tail could not match');
    // One match object, overwritten per call: the caller reads it before asking for the next.
    const m = this.match;
    m.entryStart = a;
    m.keyStart = keyStart;
    m.keyEnd = keyEnd;
    m.sepPos = this.sepPos;
    m.separator = this.sepChar;
    m.exported = exported;
    m.rawStart = rawStart;
    m.rawEnd = rawEnd;
    m.quotedBranch = quotedBranch;
    m.commentStart = this.tailComment;
    m.commentEnd = this.tailComment === -1 ? -1 : tl;
    m.matchEnd = tl;
    m.singleLine = false;
    m.keyText = undefined;
    m.valueText = undefined;
    return m;
  }

  /**
   * The common one-line entry (`[export ]KEY = value [# comment]`, the value plain or closed
   * quotes) read by one native match of COMMON at `a`; undefined when the line is anything else,
   * and attempt() then reads it. Where it answers, the answer is attempt()'s: see COMMON.
   */
  common(a: number): RawMatch | undefined {
    if (this.unicodeLt) return undefined;
    const t = this.t;
    COMMON.lastIndex = a;
    const g = COMMON.exec(t);
    if (g === null) return undefined;
    const keyStart = a + (g[1]?.length ?? 0);
    const keyEnd = keyStart + (g[2] as string).length;
    const sepPos = keyEnd + (g[3] as string).length;
    const plain = g[5];
    const quoted = g[6];
    const comment = g[8];
    const end = g.index + g[0].length;
    let rawStart: number;
    let rawEnd: number;
    const valueText = plain ?? quoted;
    if (valueText !== undefined) {
      rawStart = sepPos + 1 + (g[4] as string).length;
      rawEnd = rawStart + valueText.length;
    } else {
      // Empty value: attempt() keeps the blanks after `=` out of it (they end at the value's
      // position), and `\s` reaches a quote on a later line, which then opens the value.
      rawStart = rawEnd = sepPos + 1 + (g[7] as string).length;
      if (comment === undefined && isQuote(t.charCodeAt(this.skipWs(end)))) return undefined;
    }
    const m = this.match;
    m.entryStart = a;
    m.keyStart = keyStart;
    m.keyEnd = keyEnd;
    m.sepPos = sepPos;
    m.separator = '=';
    m.exported = g[1] !== undefined;
    m.rawStart = rawStart;
    m.rawEnd = rawEnd;
    m.quotedBranch = quoted !== undefined;
    m.commentStart = comment === undefined ? -1 : end - comment.length;
    m.commentEnd = comment === undefined ? -1 : end;
    m.matchEnd = end;
    m.singleLine = quoted === undefined || quoted.indexOf('\n') === -1;
    m.keyText = g[2];
    // Unquoted and on one line, the trimmed text is the value (finishValue changes nothing).
    m.valueText = quoted === undefined ? (plain ?? '') : undefined;
    return m;
  }

  // common() serves every line it can: whole-process runs (what users start) measured it faster
  // than the scanner at 1k and 10k keys and level at 100k, where the scanner is optimised.
  private pos = 0;

  /** The next match, as `RegExp.prototype.exec` with the `g` flag would find it, or undefined. */
  next(): RawMatch | undefined {
    const t = this.t;
    while (this.pos <= this.n) {
      let s = this.pos;
      if (s > 0 && !isLt(t.charCodeAt(s - 1))) {
        const lt = this.nextLt(s);
        if (lt === -1) break;
        s = lt + 1;
      }
      const a = this.skipWs(s);
      if (a >= this.n) break;
      const m = this.common(a) ?? this.attempt(a);
      if (m) {
        this.pos = m.matchEnd;
        return m;
      }
      // Every line start between s and a skips to the same `a` and fails the same way.
      this.pos = a + 1;
    }
    this.pos = this.n + 1;
    return undefined;
  }
}

/**
 * `raw.replace(/^(['"`])([\s\S]*)\1$/gm, '$2')` in linear time. The expression retries from every
 * line that starts with a quote, each time running to the end and backtracking: quadratic on a
 * value of many such lines. Its greedy middle always ends at the last quote of the same kind that
 * ends a line (or the value), so one pass finds those and a second applies the matches in order.
 */
export function stripQuotedLines(raw: string): string {
  const lineEnd = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
  const isQ = (c: number) => c === 39 || c === 34 || c === 96;
  const lastEnd = new Map<number, number>();
  for (let p = 0; p < raw.length; p++) {
    const c = raw.charCodeAt(p);
    if (isQ(c) && (p + 1 === raw.length || lineEnd(raw.charCodeAt(p + 1)))) lastEnd.set(c, p);
  }
  let out = '';
  let copied = 0;
  let s = 0;
  while (s < raw.length) {
    const c = raw.charCodeAt(s);
    if (isQ(c) && (s === 0 || lineEnd(raw.charCodeAt(s - 1)))) {
      const p = lastEnd.get(c);
      if (p !== undefined && p > s) {
        out += raw.slice(copied, s) + raw.slice(s + 1, p);
        copied = p + 1;
        s = p + 1;
        continue;
      }
    }
    s++;
  }
  return copied === 0 ? raw : out + raw.slice(copied);
}

/** The value transformation dotenv applies after the match: trim, strip quotes, expand escapes. */
function finishValue(raw: string): string {
  const mq = raw[0];
  let value = raw;
  let stripped = false;
  if (raw.length >= 2 && mq !== undefined && isQuote(raw.charCodeAt(0)) && raw[raw.length - 1] === mq) {
    // On one line or several, the expression's greedy middle then runs to the final quote:
    // exactly the outer pair is removed (see stripQuotedLines).
    value = raw.slice(1, -1);
    stripped = true;
  } else if (raw.indexOf('\n') !== -1 || raw.indexOf('\u2028') !== -1 || raw.indexOf('\u2029') !== -1) {
    // Multi-line: dotenv strips with /^(['"`])([\s\S]*)\1$/gm, whose `^`/`$` match at every line.
    value = stripQuotedLines(raw);
    stripped = value.length !== raw.length && mq !== undefined && isQuote(raw.charCodeAt(0)) && raw[raw.length - 1] === mq;
  }
  if (mq === '"' && value.indexOf('\\') !== -1) {
    value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
  }
  // Returned through a module variable: this runs once per entry of files with 100k entries.
  lastQuote = stripped && mq !== undefined ? (QUOTE_STYLE[mq] as QuoteStyle) : 'none';
  return value;
}
let lastQuote: QuoteStyle = 'none';

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

/**
 * An entry whose ranges are computed on first access: bulk parses (hooks, big files) never pay
 * for positions nobody reads, while editors get the same `EnvEntry` shape.
 */
class ParsedEntry implements EnvEntry {
  // Fields are `declare`d and assigned once in the constructor: with ES2022 class fields, each
  // declaration would otherwise define a property per entry before the constructor sets it.
  declare private readonly lines: LazyLines;
  declare readonly key: string;
  declare readonly value: string;
  declare readonly quote: QuoteStyle;
  declare readonly exported: boolean;
  declare readonly separator: '=' | ':';
  declare readonly start: number;
  declare readonly end: number;
  declare readonly keyStart: number;
  declare readonly valueStart: number;
  declare readonly valueEnd: number;
  declare readonly index: number;
  /** Offsets of the inline comment in the source, or -1; its text and range are built on demand. */
  declare private readonly commentStart: number;
  declare private readonly commentEnd: number;
  // Each range is built on its own first access: a scan reads the key ranges of detected
  // secrets only, and every range is three objects kept for the life of the parse.
  declare private rangeCache?: Range;
  declare private keyRangeCache?: Range;
  declare private valueRangeCache?: Range;
  declare private commentRange?: Range;

  constructor(
    lines: LazyLines, key: string, value: string, quote: QuoteStyle, exported: boolean, separator: '=' | ':',
    start: number, end: number, keyStart: number, valueStart: number, valueEnd: number, index: number,
    commentStart: number, commentEnd: number,
  ) {
    this.lines = lines;
    this.key = key;
    this.value = value;
    this.quote = quote;
    this.exported = exported;
    this.separator = separator;
    this.start = start;
    this.end = end;
    this.keyStart = keyStart;
    this.valueStart = valueStart;
    this.valueEnd = valueEnd;
    this.index = index;
    this.commentStart = commentStart;
    this.commentEnd = commentEnd;
  }

  get range(): Range {
    return (this.rangeCache ??= this.lines.get().rangeOf(this.start, this.end));
  }

  get keyRange(): Range {
    return (this.keyRangeCache ??= this.lines.get().rangeOf(this.keyStart, this.keyStart + this.key.length));
  }

  get valueRange(): Range {
    return (this.valueRangeCache ??= this.lines.get().rangeOf(this.valueStart, this.valueEnd));
  }

  /** The value's source text, quotes included: sliced on demand, not kept per entry. */
  get rawValue(): string {
    return this.lines.source.slice(this.valueStart, this.valueEnd);
  }

  get multiline(): boolean {
    return this.rawValue.indexOf('\n') !== -1 || this.rawValue.indexOf('\r') !== -1;
  }

  get inlineComment(): { text: string; range: Range } | undefined {
    if (this.commentStart === -1) return undefined;
    this.commentRange ??= this.lines.get().rangeOf(this.commentStart, this.commentEnd);
    return { text: this.lines.source.slice(this.commentStart, this.commentEnd), range: this.commentRange };
  }

  /** Plain data for JSON and structured cloning (getters are not own properties). */
  toJSON(): EnvEntry {
    const { key, value, rawValue, quote, exported, multiline, separator, range, keyRange, valueRange, start, end, keyStart, valueStart, valueEnd, inlineComment, index } = this;
    return { key, value, rawValue, quote, exported, multiline, separator, range, keyRange, valueRange, start, end, keyStart, valueStart, valueEnd, index, ...(inlineComment ? { inlineComment } : {}) };
  }
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
  // Positions are computed only when someone asks for a range (see ParsedEntry).
  const lines = new LazyLines(source);
  const entries: EnvEntry[] = [];
  const problems: ParsedProblem[] = [];
  const problem = (code: ProblemCode, start: number, end: number, key?: string, message?: string): void => {
    problems.push(new ParsedProblem(lines, code, start, end, key, message));
  };

  // Text between two matches that is neither blank nor a comment: lines dotenv skipped.
  const flagSkipped = (from: number, to: number): void => {
    for (let ls = from; ls < to; ) {
      let le = t.indexOf('\n', ls);
      if (le === -1 || le > to) le = to;
      let i = ls;
      while (i < le && isWs(t.charCodeAt(i))) i++;
      if (i < le && t.charCodeAt(i) !== 35) {
        let e = le;
        while (e > i && isWs(t.charCodeAt(e - 1))) e--;
        const text = t.slice(i, e);
        if (/^export\s+[\w.-]+$/.test(text)) {
          problem('no-equals', orig(i), orig(e), undefined, 'dotenv ignores `export NAME` without `=`: it only sets variables that have a value.');
        } else if (text.includes('=') || /^[\w.-]+:/.test(text)) {
          problem('invalid-key', orig(i), orig(e), undefined, /^[\w.-]+:\S/.test(text)
            ? 'dotenv ignores this line: in the `KEY: value` form the colon must be followed by a space.'
            : undefined);
        } else {
          problem('no-equals', orig(i), orig(e));
        }
      }
      ls = le + 1;
    }
  };

  // One hash operation per key; duplicates (rare) are resolved in a second pass below.
  const keys = new Set<string>();
  const multilineValues: EnvEntry[] = [];
  let covered = 0;
  const scanner = new Scanner(t);

  for (let m = scanner.next(); m !== undefined; m = scanner.next()) {
    const key = m.keyText ?? t.slice(m.keyStart, m.keyEnd);
    let value: string;
    let quote: QuoteStyle;
    const multiline = !m.singleLine && breakIn(t, m.rawStart, m.rawEnd);
    if (m.valueText !== undefined) {
      value = m.valueText;
      quote = 'none';
    } else if (m.quotedBranch) {
      // A closed quote (on one line or several): dotenv strips exactly the outer quotes, so the
      // inside is sliced directly (see finishValue).
      const q = t[m.rawStart] as string;
      value = t.slice(m.rawStart + 1, m.rawEnd - 1);
      quote = QUOTE_STYLE[q] as QuoteStyle;
      if (q === '"' && value.indexOf('\\') !== -1) value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    } else {
      value = finishValue(t.slice(m.rawStart, m.rawEnd));
      quote = lastQuote;
    }
    // Without `\r` offsets need no mapping: no call per offset.
    const start = hasCr ? orig(m.entryStart) : m.entryStart;
    const valueStart = hasCr ? orig(m.rawStart) : m.rawStart;
    const valueEnd = hasCr ? orig(m.rawEnd) : m.rawEnd;
    const end = m.rawEnd > m.sepPos ? valueEnd : orig(m.sepPos + 1);
    // Inline only when the comment sits on the line where the value ends.
    const inline = m.commentStart !== -1 && (m.singleLine || !breakIn(t, m.rawEnd, m.commentStart));
    const entry = new ParsedEntry(
      lines, key, value, quote, m.exported, m.separator,
      start, end, hasCr ? orig(m.keyStart) : m.keyStart, valueStart, valueEnd, entries.length,
      inline ? orig(m.commentStart) : -1, inline ? orig(m.commentEnd) : -1,
    );
    entries.push(entry);
    if (multiline) multilineValues.push(entry);
    // A match ends at a line break (or the end), so one character between two is that break.
    if (m.entryStart > covered + 1) flagSkipped(covered, m.entryStart);
    covered = m.matchEnd;
    keys.add(key);
    checkEntry(entry, m, t, problem, orig);
  }
  flagSkipped(covered, t.length);

  if (keys.size < entries.length) {
    const last = new Map<string, EnvEntry>();
    for (const e of entries) {
      const prev = last.get(e.key);
      if (prev) {
        problem('duplicate-key', prev.keyStart, prev.keyStart + e.key.length, e.key,
          `\`${e.key}\` is defined again on line ${lines.get().lineAt(e.start) + 1}; dotenv uses the last definition.`);
      }
      last.set(e.key, e);
    }
  }

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
  // Spaces and tabs before each line end (and the end of the file), found by walking back from
  // each terminator: every character is looked at at most twice. A regular expression such as
  // /[ \t]+(?=\r?\n|\r|$)/g retries from every space of a long run and is quadratic in it.
  let mv = 0;
  const trailingBefore = (end: number) => {
    let at = end;
    while (at > 0 && (source.charCodeAt(at - 1) === 32 || source.charCodeAt(at - 1) === 9)) at--;
    if (at === end) return;
    while (mv < multilineValues.length && (multilineValues[mv] as EnvEntry).valueEnd <= at) mv++;
    const inside = mv < multilineValues.length && (multilineValues[mv] as EnvEntry).valueStart <= at;
    if (!inside) problem('trailing-whitespace', at, end);
  };
  if (hasCr) {
    for (let i = 0; i < source.length; i++) {
      const c = source.charCodeAt(i);
      if (c === 10 || c === 13) trailingBefore(i);
    }
  } else {
    // Without `\r` the terminators are the `\n`s: the native search skips the lines' content.
    for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) trailingBefore(i);
  }
  trailingBefore(source.length);

  problems.sort((x, y) => x.start - y.start || x.end - y.end);
  let crlfCount = 0;
  if (hasCr) for (let i = source.indexOf('\r\n'); i !== -1; i = source.indexOf('\r\n', i + 2)) crlfCount++;
  let lfCount = 0;
  for (let i = t.indexOf('\n'); i !== -1 && lfCount <= crlfCount * 2; i = t.indexOf('\n', i + 1)) lfCount++;
  return {
    entries,
    problems,
    get lineCount() {
      return lines.get().lineCount;
    },
    eol: hasCr && crlfCount * 2 > lfCount ? '\r\n' : '\n',
    hasBom,
  };
}

/** Builds the line index on first use and shares it between all entries of a parse. */
class LazyLines {
  private index?: LineIndex;
  constructor(readonly source: string) {}
  get(): LineIndex {
    return (this.index ??= new LineIndex(this.source));
  }
}

class ParsedProblem implements ParseProblem {
  // `declare`d for the reason given on ParsedEntry.
  declare private readonly lines: LazyLines;
  declare readonly code: ProblemCode;
  declare readonly start: number;
  declare readonly end: number;
  declare readonly severity: ProblemSeverity;
  declare readonly message: string;
  declare readonly key?: string;
  declare private rangeCache?: Range;

  constructor(lines: LazyLines, code: ProblemCode, start: number, end: number, key?: string, message?: string) {
    this.lines = lines;
    this.code = code;
    this.start = start;
    this.end = end;
    const spec = MESSAGES[code];
    this.severity = spec.severity;
    this.message = message ?? spec.message;
    if (key !== undefined) this.key = key;
  }

  get range(): Range {
    return (this.rangeCache ??= this.lines.get().rangeOf(this.start, this.end));
  }

  toJSON(): ParseProblem {
    const { code, severity, message, range, start, end, key } = this;
    return { code, severity, message, range, start, end, ...(key !== undefined ? { key } : {}) };
  }
}

/** Whether `t[a, b)` holds a `\n`: looks at those characters only, not up to the next line end. */
function breakIn(t: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (t.charCodeAt(i) === 10) return true;
  return false;
}

function hasBlank(t: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = t.charCodeAt(i);
    if (c === 32 || c === 9) return true;
  }
  return false;
}

const LOWERCASE = /[a-z]/;

function hasLowercase(key: string): boolean {
  return LOWERCASE.test(key);
}

function checkEntry(
  entry: EnvEntry,
  m: RawMatch,
  t: string,
  problem: (code: ProblemCode, start: number, end: number, key?: string, message?: string) => void,
  orig: (n: number) => number,
): void {
  const { key } = entry;
  const ks = entry.keyStart;
  if (key === '__proto__') problem('reserved-key', ks, ks + key.length, key);
  else if (hasLowercase(key)) problem('lowercase-key', ks, ks + key.length, key);
  if (m.separator === ':') problem('colon-separator', ks, ks + key.length, key);

  // A line break between `export`, the key, the separator and the value's start (dotenv's `\s`
  // crosses them), not inside a quoted multi-line value.
  const spans = !m.singleLine && (
    breakIn(t, m.entryStart, m.keyStart) || breakIn(t, m.keyEnd, m.sepPos) || (m.rawEnd > m.rawStart && breakIn(t, m.sepPos, m.rawStart)));
  if (spans) problem('entry-spans-lines', entry.start, entry.end, key);

  if (m.separator === '=') {
    const beforeEq = m.sepPos > m.keyEnd && !spans;
    const afterEq = m.rawEnd > m.rawStart && m.rawStart > m.sepPos + 1 && !spans;
    if (beforeEq || afterEq) problem('spaces-around-equals', orig(m.keyEnd), orig(m.rawStart > m.sepPos ? m.rawStart : m.sepPos + 1), key);
  }

  if (!m.quotedBranch) {
    const first = m.rawEnd > m.rawStart ? t.charCodeAt(m.rawStart) : NaN;
    if (entry.quote === 'none' && isQuote(first)) {
      const close = t.indexOf(t[m.rawStart] as string, m.rawStart + 1);
      problem(close !== -1 && close < m.rawEnd ? 'text-after-quote' : 'unterminated-quote', entry.valueStart, entry.valueEnd, key);
    } else if (
      entry.quote === 'none' &&
      (m.valueText !== undefined ? m.valueText.indexOf(' ') !== -1 || m.valueText.indexOf('\t') !== -1 : hasBlank(t, m.rawStart, m.rawEnd))
    ) {
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
