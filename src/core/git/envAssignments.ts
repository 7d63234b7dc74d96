import { parseEnv } from '../env/parse';

/** One `KEY=value` definition; `value` is what dotenv would read (secret: never print it). */
export interface EnvAssignment {
  key: string;
  value: string;
}

/** `KEY=rest` at the start of a line, optionally `export`ed, with no blanks around `=`. */
const SIMPLE_LINE = /^(?:export[ \t]+)?([\w.-]+)=(.*)$/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?$/;
const WS = /\s/;

/**
 * Every assignment in `.env` text, in order (duplicates included; dotenv uses the last).
 *
 * History scans read thousands of blob versions, so the common shape — one `KEY=value` per line,
 * unquoted values without `#` or surrounding blanks, or values quoted with no escapes inside — is
 * read line by line; any other line (multiline or escaped quotes, `KEY: value`, blanks around `=`,
 * empty values, CR line ends...) sends the whole text through {@link parseEnv}, so the result is
 * always exactly dotenv's reading.
 */
export function readEnvAssignments(text: string): EnvAssignment[] {
  const fast = fastAssignments(text);
  if (fast) return fast;
  return parseEnv(text).entries.map((e) => ({ key: e.key, value: e.value }));
}

/** The last value of each key, as dotenv reads the text. */
export function readEnvValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of readEnvAssignments(text)) out.set(a.key, a.value);
  return out;
}

function fastAssignments(text: string): EnvAssignment[] | undefined {
  if (text.indexOf('\r') !== -1 || text.indexOf('\u2028') !== -1 || text.indexOf('\u2029') !== -1) return undefined;
  const out: EnvAssignment[] = [];
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = n;
    if (end > start) {
      const line = text.slice(start, end);
      const m = SIMPLE_LINE.exec(line);
      if (m) {
        const key = m[1] as string;
        const value = simpleValue(m[2] as string);
        if (value === undefined || key === '__proto__') return undefined;
        out.push({ key, value });
      } else if (!BLANK_OR_COMMENT.test(line)) {
        return undefined;
      }
    }
    start = end + 1;
  }
  return out;
}

/** dotenv's value for `rest` when it is self-contained on its line, else `undefined`. */
function simpleValue(rest: string): string | undefined {
  if (rest.length === 0) return undefined; // an empty value lets dotenv's `\s` reach the next line
  const q = rest.charCodeAt(0);
  if (q === 34 || q === 39 || q === 96) {
    if (rest.length < 2 || rest.charCodeAt(rest.length - 1) !== q) return undefined;
    const inner = rest.slice(1, -1);
    if (inner.indexOf(rest[0] as string) !== -1 || inner.indexOf('\\') !== -1) return undefined;
    return inner;
  }
  if (WS.test(rest[0] as string) || WS.test(rest[rest.length - 1] as string) || rest.indexOf('#') !== -1) return undefined;
  return rest;
}
