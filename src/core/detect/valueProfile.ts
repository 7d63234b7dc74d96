import { ALPHABET_SIZE, isEncodedText, MIN_RANDOM_LENGTH, randomThreshold, type Alphabet, type EntropyInfo } from './entropy';
import { RUN_PAIRS } from './placeholders';

/*
 * One pass over a value's characters that answers the questions every later check asks: which
 * characters occur (so `includes` scans and prefilter regexes are skipped), where a provider
 * prefix may start, whether the value can be degenerate, and its entropy. Detection runs on
 * every entry of every file, so reading each value once instead of five times matters.
 */

export const CH_DOLLAR = 1;
export const CH_LBRACE = 2;
export const CH_LT = 4;
export const CH_PERCENT = 8;
export const CH_COLON = 16;
export const CH_LBRACKET = 32;
export const CH_EQ = 64;
export const CH_SEMI = 128;
export const CH_SLASH = 256;
export const CH_AT = 512;
export const CH_DOT = 1024;
export const CH_BACKSLASH = 2048;
/** Whitespace or a control character. */
export const CH_SPACE = 4096;
export const CH_NON_ASCII = 8192;

export interface ValueProfile {
  /** `CH_*` bits of the characters that occur. */
  chars: number;
  dots: number;
  /** Index of the first character pair that starts a provider prefix, or -1. */
  prefixAt: number;
  /** A character pair one of the shape rules needs occurs (see providers.ts). */
  shapeHint: boolean;
  /** `$`, `{`, `<` or `%` occur: template and reference syntax is possible. */
  templateChars: boolean;
  /** Few distinct characters, or a start like `12`/`ab`: worth the exact degenerate check. */
  maybeDegenerate: boolean;
  /** Number of distinct (ASCII) characters. */
  distinct: number;
  /** Entropy and randomness; undefined for values with whitespace or non-ASCII characters. */
  entropy: EntropyInfo | undefined;
  /** With a reused profile (`into`), whether `entropy` belongs to this value. */
  hasEntropy?: boolean;
}

const LOG2 = Float64Array.from({ length: 1025 }, (_, i) => (i === 0 ? 0 : Math.log2(i)));
const counts = new Int32Array(128);
const distinctCodes = new Uint8Array(128);

// Character classes for the entropy alphabet, in the same table as the CH_* bits.
const K_LOWER = 1 << 16;
const K_UPPER = 1 << 17;
const K_DIGIT = 1 << 18;
const K_NON_HEX_LETTER = 1 << 19;
const K_PLUS_SLASH = 1 << 20;
const K_DASH_UNDERSCORE = 1 << 21;
const K_EQ = 1 << 22;
const K_OTHER = 1 << 23;

/** Per ASCII code: `CH_*` bits and `K_*` classes. */
const CLASS = new Uint32Array(128);
/** Per ASCII code: 1 for letters, 2 for vowels (counted as letters too). */
const LETTER = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  let k = 0;
  if (c >= 97 && c <= 122) k = K_LOWER | (c > 102 ? K_NON_HEX_LETTER : 0);
  else if (c >= 65 && c <= 90) k = K_UPPER | (c > 70 ? K_NON_HEX_LETTER : 0);
  else if (c >= 48 && c <= 57) k = K_DIGIT;
  else if (c === 43 || c === 47) k = K_PLUS_SLASH;
  else if (c === 45 || c === 95) k = K_DASH_UNDERSCORE;
  else if (c === 61) k = K_EQ;
  else if (c > 32 && c < 127) k = K_OTHER;
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) LETTER[c] = 'aeiouAEIOU'.includes(String.fromCharCode(c)) ? 2 : 1;
  CLASS[c] = k;
}
for (const [ch, bit] of [['$', CH_DOLLAR], ['{', CH_LBRACE], ['<', CH_LT], ['%', CH_PERCENT], [':', CH_COLON], ['[', CH_LBRACKET], ['=', CH_EQ], [';', CH_SEMI], ['/', CH_SLASH], ['@', CH_AT], ['.', CH_DOT], ['\\', CH_BACKSLASH]] as const) {
  CLASS[ch.charCodeAt(0)]! |= bit;
}
for (let c = 0; c <= 32; c++) CLASS[c]! |= CH_SPACE;
CLASS[127]! |= CH_SPACE;

function log2(k: number): number {
  return k <= 1024 ? LOG2[k]! : Math.log2(k);
}

/** Separators the degenerate check ignores: - _ . : / + = */
function isSeparator(c: number): boolean {
  return c === 45 || c === 95 || c === 46 || c === 58 || c === 47 || c === 43 || c === 61 || c <= 32;
}

const NO_PAIRS = new Uint8Array(128 * 128);

/**
 * Profiles a (trimmed) value in one pass. `prefixPairs` marks character pairs that start a
 * provider prefix (bit 1) or that a shape rule needs (bit 2); see providers.ts. With `into`,
 * the result is written into that object (and its `entropy`), which is returned: callers that
 * judge many values reuse one object instead of allocating two per value.
 */
export function profileValue(value: string, prefixPairs: Uint8Array = NO_PAIRS, into?: ValueProfile): ValueProfile {
  const n = value.length;
  let flags = 0;
  let prefixAt = -1;
  let pairBits = 0;
  let distinct = 0;
  // Per character: counts (for entropy) and the pair table. Everything that depends only on
  // which characters occur is done once per distinct character, below.
  let prev = n > 0 ? value.charCodeAt(0) : 0;
  if (prev < 128) {
    if (counts[prev]!++ === 0) distinctCodes[distinct++] = prev;
  } else flags |= CH_NON_ASCII;
  for (let i = 1; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128) {
      flags |= CH_NON_ASCII;
      prev = 128;
      continue;
    }
    if (prev < 128) {
      const hit = prefixPairs[(prev << 7) | c]!;
      if (hit !== 0) {
        if ((hit & 1) !== 0 && prefixAt === -1) prefixAt = i - 1;
        pairBits |= hit;
      }
    }
    prev = c;
    if (counts[c]!++ === 0) distinctCodes[distinct++] = c;
  }
  let sum = 0;
  let letters = 0;
  let vowels = 0;
  let dots = 0;
  for (let d = 0; d < distinct; d++) {
    const code = distinctCodes[d]!;
    const k = counts[code]!;
    if (code === 46) dots = k;
    sum += k * (k <= 1024 ? LOG2[k]! : Math.log2(k));
    flags |= CLASS[code]!;
    const l = LETTER[code]!;
    if (l !== 0) {
      letters += k;
      if (l === 2) vowels += k;
    }
    counts[code] = 0;
  }
  const chars = flags & 0xffff;
  // Up to three letters in two cases plus separators, or a start like `12`/`ab`: let the exact check decide.
  const maybeDegenerate = distinct <= 8 || startsWithRunPair(value);
  let entropy: EntropyInfo | undefined;
  if (n > 0 && (chars & (CH_SPACE | CH_NON_ASCII)) === 0) {
    const bitsPerChar = log2(n) - sum / n;
    const lower = (flags & K_LOWER) !== 0;
    const upper = (flags & K_UPPER) !== 0;
    const digit = (flags & K_DIGIT) !== 0;
    const plusSlash = (flags & K_PLUS_SLASH) !== 0;
    const dashUnderscore = (flags & K_DASH_UNDERSCORE) !== 0;
    // `=` keeps a value base64 only as trailing padding.
    const eqAt = (flags & K_EQ) !== 0 ? value.indexOf('=') : -1;
    const padding = eqAt !== -1 && eqAt >= n - 2;
    const other = (flags & K_OTHER) !== 0 || (eqAt !== -1 && !padding);
    let alphabet: Alphabet;
    if (other || (plusSlash && dashUnderscore)) alphabet = 'printable';
    else if (plusSlash || padding) alphabet = dashUnderscore ? 'printable' : 'base64';
    else if (dashUnderscore) alphabet = 'base64url';
    else if ((flags & K_NON_HEX_LETTER) === 0 && !(lower && upper)) alphabet = 'hex';
    else alphabet = 'alphanumeric';
    let random = false;
    if (n >= MIN_RANDOM_LENGTH) {
      random = bitsPerChar >= randomThreshold(alphabet, n) * Math.log2(Math.min(n, ALPHABET_SIZE[alphabet]));
      // Random strings from these alphabets mix character classes; words and counters do not.
      if (alphabet === 'hex') random &&= digit && (lower || upper);
      else random &&= Number(lower) + Number(upper) + Number(digit) >= 2;
      // CamelCase words reach random-looking entropy but carry far more vowels than random
      // letters do (about 19% of random letters are vowels, 40% in English).
      if (random && alphabet !== 'hex' && letters >= 12 && vowels / letters >= 0.45) random = false;
      if (random && isEncodedText(value, alphabet)) random = false;
    }
    entropy = into?.entropy ?? { alphabet, bitsPerChar, length: n, random };
    entropy.alphabet = alphabet;
    entropy.bitsPerChar = bitsPerChar;
    entropy.length = n;
    entropy.random = random;
  }
  const templateChars = (chars & (CH_DOLLAR | CH_LBRACE | CH_LT | CH_PERCENT)) !== 0;
  const shapeHint = (pairBits & 2) !== 0;
  if (!into) return { chars, dots, prefixAt, shapeHint, templateChars, maybeDegenerate, distinct, entropy };
  into.chars = chars;
  into.dots = dots;
  into.prefixAt = prefixAt;
  into.shapeHint = shapeHint;
  into.templateChars = templateChars;
  into.maybeDegenerate = maybeDegenerate;
  into.distinct = distinct;
  // Keep the entropy object for reuse; `hasEntropy` says whether it is valid for this value.
  if (entropy) into.entropy = entropy;
  into.hasEntropy = entropy !== undefined;
  return into;
}

/** Whether the first two non-separator characters are adjacent in a keyboard or alphabet run. */
function startsWithRunPair(value: string): boolean {
  let first = -1;
  for (let i = 0; i < value.length; i++) {
    let c = value.charCodeAt(i);
    if (isSeparator(c)) continue;
    if (c >= 65 && c <= 90) c += 32;
    if (c >= 128) return false;
    if (first === -1) first = c;
    else return RUN_PAIRS[first * 128 + c] === 1;
  }
  return false;
}

/**
 * Entropy of a candidate token with a judgement of whether it looks random. Returns undefined
 * for values that contain whitespace or non-ASCII characters (prose, not tokens).
 */
export function entropyOf(value: string): EntropyInfo | undefined {
  return profileValue(value).entropy;
}
