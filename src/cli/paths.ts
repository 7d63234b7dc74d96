import * as path from 'node:path';

/**
 * How a path is shown: relative to the working directory when inside it, absolute otherwise,
 * always with forward slashes in the relative form so JSON output is the same on every OS.
 */
export function displayPath(abs: string, cwd: string): string {
  // A plan or report names the same few files thousands of times (one line per consumer), and
  // path.relative normalizes both sides on every call.
  const id = `${cwd}\0${abs}`;
  const known = shown.get(id);
  if (known !== undefined) return known;
  const rel = path.relative(cwd, abs);
  const out = rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
  if (shown.size >= 10_000) shown.clear();
  shown.set(id, out);
  return out;
}
const shown = new Map<string, string>();

/**
 * A path for human text output: {@link displayPath} with line breaks and other control characters
 * written as escapes, so a file named `a\nb.env` cannot forge an extra output line (or a terminal
 * escape sequence). JSON output keeps the exact name; JSON escapes it itself.
 */
export function textPath(abs: string, cwd: string): string {
  return escapeControl(displayPath(abs, cwd));
}

/** `s` with C0/C1 control characters, DEL and U+2028/U+2029 as `\n`, `\t`, `\xHH` or `\uHHHH`. */
export function escapeControl(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  return out;
}

/** A relative path as a URI reference: each segment percent-encoded (`#`, `?`, `%`, spaces…). */
export function relativeUri(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}
