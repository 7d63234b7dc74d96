/*
 * Quoting for POSIX shells: command lines shown to users (`git rm --cached …`, `chmod 600 …`) and
 * the values the generated git hooks assign. The characters left bare are those of Python's
 * `shlex.quote`; everything else is single-quoted, with `'` written as `'\''`.
 */

/** `s` as one single-quoted POSIX-shell word, always quoted (for generated scripts). */
export function shellSingleQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `s` as one POSIX-shell word, quoted only when it holds characters a shell would interpret. */
export function shellQuote(s: string): string {
  return s !== '' && /^[\w@%+=:,./-]+$/.test(s) ? s : shellSingleQuote(s);
}
