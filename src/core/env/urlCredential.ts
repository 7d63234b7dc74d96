import type { Range } from '../text/lineIndex';
import type { EnvEntry } from './types';

/*
 * The credential inside a URL value (`postgres://app:PASSWORD@db:5432/app`,
 * `https://TOKEN@github.com/...`), so that masking can hide only that part and leave the
 * scheme, host, port and database readable. Parsed by hand: WHATWG `URL` rejects real-world
 * forms such as multi-host PostgreSQL URLs (`@h1:5432,h2:5432`).
 */

/** Offsets `[start, end)` of the credential inside `url`, or undefined when it has none. */
export function urlCredentialSpan(url: string): { start: number; end: number } | undefined {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url);
  if (!m) return undefined;
  const authStart = m[0].length;
  let authEnd = url.length;
  for (let i = authStart; i < url.length; i++) {
    const c = url[i];
    if (c === '/' || c === '?' || c === '#') {
      authEnd = i;
      break;
    }
  }
  // The last `@` ends the user info, as clients read an unencoded `@` in a password.
  const at = url.lastIndexOf('@', authEnd - 1);
  if (at < authStart) return undefined;
  const colon = url.indexOf(':', authStart);
  // `user:password@`: the password; `token@` (no colon): the user part is the credential.
  const span = colon !== -1 && colon < at ? { start: colon + 1, end: at } : { start: authStart, end: at };
  return span.end > span.start ? span : undefined;
}

/**
 * What masking hides of an entry's value: only the credential when the value is a one-line URL
 * that has one, otherwise the whole raw value (quotes included).
 */
export function maskedValueRange(entry: EnvEntry): Range {
  const r = entry.valueRange;
  if (entry.multiline || r.start.line !== r.end.line) return r;
  const inner = entry.quote === 'none' ? 0 : 1;
  const url = entry.rawValue.slice(inner, entry.rawValue.length - inner);
  const span = urlCredentialSpan(url);
  if (!span) return r;
  const line = r.start.line;
  const from = r.start.character + inner;
  return { start: { line, character: from + span.start }, end: { line, character: from + span.end } };
}
