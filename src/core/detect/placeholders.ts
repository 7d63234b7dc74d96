import type { ValueProfile } from './valueProfile';

/*
 * Values that stand in for a secret rather than being one: template text (`changeme`,
 * `your-key-here`, `<token>`), references resolved elsewhere (`${VAR}`), and degenerate strings
 * (`xxxx`, `1234`, `aaaa`). Real provider tokens are judged separately (see providers.ts): a
 * token in a provider's exact format stays a finding even when its body is degenerate.
 */

/** Whole values that are conventional stand-ins (compared case-insensitively, separators kept). */
const PLACEHOLDER_WORDS = new Set([
  'changeme', 'change-me', 'change_me', 'changethis', 'change-this', 'change_this', 'changeit',
  'replaceme', 'replace-me', 'replace_me', 'setme', 'set-me', 'fillme', 'fill-me', 'todo', 'tbd',
  'fixme', 'secret', 'secrets', 'mysecret', 'my-secret', 'my_secret', 'password', 'passwd',
  'mypassword', 'my-password', 'my_password', 'example', 'sample', 'dummy', 'fake', 'placeholder',
  'none', 'null', 'nil', 'undefined', 'empty', 'default', 'test', 'testing', 'foo', 'bar', 'baz',
  'foobar', 'qwerty', 'letmein', 'abc', 'abc123', 'root', 'toor', 'admin', 'postgres', 'mysql',
  'redis', 'guest', 'user', 'username', 'token', 'apikey', 'api-key', 'api_key', 'key', 'value',
  'string', 'na', 'n/a', 'required', 'optional', 'insert', 'generate', 'random', 's3cr3t',
  'p@ssw0rd', 'p@ssword', 'passw0rd', 'password1', 'password123', 'redacted', 'hidden', 'masked',
  'xxx', 'unset', 'notset', 'not-set', 'not_set',
]);

/** Stand-in phrases inside longer values: `your-api-key-here`, `replace_with_password`, `<token>`. */
const PLACEHOLDER_PATTERNS: Array<[{ test(v: string): boolean }, string]> = [
  [{ test: hasReference }, 'reference to another variable'],
  [/^\$[A-Za-z_][A-Za-z0-9_]*$|^%[A-Za-z_][A-Za-z0-9_]*%$/, 'reference to another variable'],
  [/<[^<>]{1,80}>/, 'placeholder in angle brackets'],
  [/^\{[A-Za-z_][A-Za-z0-9_ -]*\}$|^\[[A-Za-z_][A-Za-z0-9_ -]*\]$/, 'placeholder in brackets'],
  [/(?:^|[^a-z])your(?:[-_ .]|$)|^your[A-Z_]/i, 'placeholder text ("your …")'],
  [/(?:^|[-_ .])(?:goes[-_ ]?)?here$/i, 'placeholder text ("… here")'],
  [/^(?:put|insert|enter|add|paste|replace|set|fill|generate|use|type|create)[-_ .](?:with|in|your|the|a|an|me|here|this|it|real|new|own|[a-z]*key|[a-z]*secret|[a-z]*token|[a-z]*pass(?:word)?)/i, 'placeholder text ("replace with …")'],
  [/change[-_ .]?(?:me|this|it)(?:$|[^a-z])|changeme|change[-_ .]?(?:in|before|for)[-_ .]?prod/i, 'placeholder text ("changeme")'],
  [/(?:^|[^a-z])not[-_ .]?(?:a[-_ .]?)?real(?:$|[^a-z])|notreal/i, 'placeholder text ("not a real …")'],
  [/(?:^|[-_ .:])(?:example|sample|dummy|placeholder|redacted|fake|bogus)(?:$|[-_ .:0-9])/i, 'placeholder text ("example")'],
  [/(?:^|[^A-Za-z])(?:x{3,}|X{3,})(?:$|[^A-Za-z])/, 'placeholder text ("xxx")'],
  [/^[*•.…#?_-]+$/, 'masked or elided value'],
  [/(?:\.{3}|…)$/, 'elided value (ends in "...")'],
  [/random[-_ ]?(?:string|chars?|characters|value|token|text|bytes)|(?:string|token|key|secret|value)[-_ ]?here/i, 'placeholder text ("random string here")'],
];

/*
 * Text that is not a value at all: a comment or an instruction left in the value
 * (`# generate with: openssl rand -base64 32`), code (`req.cookies.session || null`,
 * `document.querySelector(…)`) or markup. Real credentials contain none of these shapes.
 */
const NOT_A_VALUE: Array<[RegExp, string]> = [
  [/^(?:#|\/\/)\s/, 'a comment or instruction, not a value'],
  [/\b(?:openssl|pwgen|uuidgen|head -c|base64 -w|rand -(?:hex|base64)|secrets\.token_|crypto\.randomBytes)\b|\b(?:generate[ds]?|run|paste|copy)\s+(?:with|using|the|this|it|`)/i, 'instructions for making a value, not a value'],
  [/[A-Za-z_$][\w$]*\.[A-Za-z_$][\w$]*\(|\)\.[A-Za-z_$]|\s(?:\|\||&&|\?\?)\s|=>\s/, 'code, not a credential'],
  [/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?>/, 'markup, not a credential'],
];

const MAX_SNIPPET = 512;

/** Why a value is code, markup or an instruction rather than a credential, or undefined. */
export function notAValueReason(value: string): string | undefined {
  // Snippets are short; the code pattern scans word runs, so long values are left to the rest.
  if (value.length > MAX_SNIPPET) return undefined;
  for (const [re, why] of NOT_A_VALUE) if (re.test(value)) return why;
  return undefined;
}

const EXAMPLE_MARKER = /example/i;

/** 0 digits, 1 upper case, 2 lower case. */
function classOf(c: number): number {
  return c <= 57 ? 0 : c <= 90 ? 1 : 2;
}

/**
 * Why a token body is a filler rather than random: a documentation marker (`…EXAMPLEKEY`), a run
 * of eight or more sequential characters (`abcdefgh`, `12345678`), or long runs of one
 * character (`aaaaaaaaaa1111111111`). A random body has none of these: the chance of an
 * 8-character run in a 100-character random base62 string is below one in 10^11.
 */
export function fillerReason(body: string): string | undefined {
  if (EXAMPLE_MARKER.test(body)) return 'a documentation example';
  let seq = 1;
  let runs = 0;
  let core = 0;
  let prev = -1;
  for (let i = 0; i < body.length; i++) {
    // Case is kept: `AbCdEf` is a mixed-case string, not the alphabet.
    const c = body.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    if (!alnum) {
      prev = -1;
      seq = 1;
      continue;
    }
    core++;
    if (c !== prev) runs++;
    // Ascending or descending by one within digits or letters; `9` then `0` continues `1234567890`.
    const step = prev === -1 ? 0 : c - prev;
    const sameClass = prev !== -1 && classOf(c) === classOf(prev);
    if (sameClass && (step === 1 || step === -1 || (prev === 57 && c === 48))) {
      if (++seq >= 8) return 'sequential characters';
    } else seq = 1;
    prev = c;
  }
  if (core >= 16 && runs * 5 <= core) return 'long runs of repeated characters';
  return undefined;
}

/**
 * `${…}`, `{{…}}` or `$(…)` somewhere in `v`. The regular expression for it (`\$\{[^}]*\}…`)
 * rescans the rest of the value from every `${` and takes quadratic time on a value made of
 * them; some opener has its closer after it exactly when the first opener does, so one
 * `indexOf` pair per form answers in linear time.
 */
function hasReference(v: string): boolean {
  const closedAfter = (open: string, close: string) => {
    const i = v.indexOf(open);
    return i !== -1 && v.indexOf(close, i + open.length) !== -1;
  };
  return closedAfter('${', '}') || closedAfter('{{', '}}') || closedAfter('$(', ')');
}

/** Keyboard and alphabet runs, both directions; `1234`, `abcd`, `qwerty` are not secrets. */
const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890'];
const RUNS = [...SEQUENCES, ...SEQUENCES.map((s) => [...s].reverse().join(''))];
/** Adjacent pairs within any run (`c0 * 128 + c1`): a value whose first two characters are not one is not a run. */
export const RUN_PAIRS = new Uint8Array(128 * 128);
for (const r of RUNS) for (let i = 1; i < r.length; i++) RUN_PAIRS[r.charCodeAt(i - 1) * 128 + r.charCodeAt(i)] = 1;

/*
 * A cheap prefilter for PLACEHOLDER_PATTERNS: every pattern needs one of these characters, a
 * leading character from the second set, or one of these words. A plain literal alternation
 * scans fast; the patterns themselves only run on values that pass it.
 */
const PREFILTER_CHARS = /[${<%]/;
const PREFILTER_FIRST = new Set(['[', '{', '*', '•', '.', '…', '#', '?', '_', '-']);
const PREFILTER_WORDS = /your|here|chang|real|exampl|sampl|dumm|placeholder|redact|fake|bogus|xxx|random|\.\.\.$|…$|^(?:put|insert|enter|add|paste|replace|set|fill|generate|use|type|create)[-_ .]/i;

/**
 * Why `value` is a placeholder, or undefined when it may be a real value. Checks whole-value
 * stand-in words, template phrases, references, repeated and sequential characters, emptiness.
 * With a `profile` (see valueProfile.ts) the value must already be trimmed.
 */
export function placeholderReason(value: string, profile?: ValueProfile): string | undefined {
  const v = profile ? value : value.trim();
  if (v === '') return 'empty value';
  // Stand-in words have at most 10 distinct letters and digits (`password123`); allow for case.
  if (v.length <= 16 && (!profile || profile.distinct <= 12) && PLACEHOLDER_WORDS.has(v.toLowerCase())) return 'placeholder word';
  const special = profile ? profile.templateChars : PREFILTER_CHARS.test(v);
  if (special || PREFILTER_FIRST.has(v[0]!) || PREFILTER_WORDS.test(v)) {
    for (const [re, reason] of PLACEHOLDER_PATTERNS) if (re.test(v)) return reason;
  }
  const degenerate = profile && !profile.maybeDegenerate ? undefined : degenerateReason(v);
  return degenerate ?? fillerReason(v);
}

function isSeparator(c: number): boolean {
  // - _ . : / + = and whitespace
  return c === 45 || c === 95 || c === 46 || c === 58 || c === 47 || c === 43 || c === 61 || c <= 32;
}

/**
 * Why a token body is degenerate (at most two or three distinct characters, or a keyboard or
 * alphabet run), or undefined. Used both for plain values and for the body of a provider-format
 * token. One pass without allocation in the common (random) case.
 */
export function degenerateReason(body: string): string | undefined {
  let core = 0;
  let d0 = -1;
  let d1 = -1;
  let d2 = -1;
  let distinct = 0;
  let runPair = -1; // 1 when the first two characters are adjacent in some keyboard/alphabet run
  for (let i = 0; i < body.length; i++) {
    let c = body.charCodeAt(i);
    if (isSeparator(c)) continue;
    core++;
    if (c >= 65 && c <= 90) c += 32;
    if (core === 2) runPair = d0 < 128 && c < 128 && RUN_PAIRS[d0 * 128 + c] === 1 ? 1 : 0;
    if (c === d0 || c === d1 || c === d2) continue;
    distinct++;
    if (distinct === 1) d0 = c;
    else if (distinct === 2) d1 = c;
    else if (distinct === 3) d2 = c;
    // Four distinct characters and no run start: neither repeated nor sequential.
    else if (runPair === 0 || core > 26) return undefined;
  }
  if (core === 0) return 'only separators';
  if (core >= 2 && distinct === 1) return 'repeated character';
  if (distinct <= 2 && core >= 4) return 'repeated characters';
  if (distinct <= 3 && core >= 12) return 'repeated characters';
  if (core >= 4 && core <= 26 && runPair === 1) {
    let l = '';
    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i);
      if (!isSeparator(c)) l += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
    }
    for (const run of RUNS) if (run.includes(l)) return 'sequential characters';
  }
  return undefined;
}
