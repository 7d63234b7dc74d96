/*
 * The password part of a connection URL (`postgres://user:PASSWORD@host/db`,
 * `redis://:PASSWORD@host:6379`). Parsed by hand rather than with WHATWG `URL`, which rejects
 * real-world forms such as multi-host PostgreSQL URLs (`@h1:5432,h2:5432`).
 */

/** Where the password sits inside a URL string, and what it decodes to. */
export interface UrlPassword {
  /** Offsets of the encoded password inside the URL string. */
  start: number;
  end: number;
  /** The password as the client sees it (percent-decoded). Secret. */
  decoded: string;
  /** Lower-case scheme, e.g. `postgres`, `redis`, `amqp`. */
  scheme: string;
}

/** Finds the password of a `scheme://user:password@host` URL; `undefined` when there is none. */
export function findUrlPassword(url: string): UrlPassword | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
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
  // The last `@` ends the user info, so an unencoded `@` in a password still parses as clients do.
  const at = url.lastIndexOf('@', authEnd - 1);
  if (at < authStart) return undefined;
  const colon = url.indexOf(':', authStart);
  if (colon === -1 || colon > at) return undefined;
  const start = colon + 1;
  const end = at;
  if (end <= start) return undefined;
  const encoded = url.slice(start, end);
  let decoded = encoded;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    // A malformed escape: clients use the text as written.
  }
  return { start, end, decoded, scheme: (m[1] as string).toLowerCase() };
}

/** Percent-encodes what cannot appear literally in a URL's password (RFC 3986 userinfo), and `$`, which dotenv-expand and Compose would read as a variable. */
export function encodeUrlPassword(password: string): string {
  return password.replace(/[^A-Za-z0-9\-._~!&'()*+,;=]/g, (c) =>
    Array.from(Buffer.from(c, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** The URL with its password replaced by `password` (encoded as needed). */
export function replaceUrlPassword(url: string, where: UrlPassword, password: string): string {
  return url.slice(0, where.start) + encodeUrlPassword(password) + url.slice(where.end);
}
