import type { KindId } from '../catalog/types';
import { placeholderReason } from './placeholders';
import { entropyOf } from './valueProfile';

/*
 * Credentials inside URLs: `postgres://user:pass@host/db`, `redis://:pass@host`,
 * `mongodb+srv://…`, `amqp://…`, `https://user:token@…`, `?password=` query parameters.
 * The WHATWG URL parser does the parsing (IPv6 hosts, percent-decoding, query strings); two
 * things it cannot take are split off first: multi-host lists (`mongodb://u:p@h1:1,h2:2/db`,
 * which it rejects as an invalid port) and unencoded `/` in passwords.
 */

/** Value-free description of a credential found in a URL. Never carries the password itself. */
export interface UrlCredential {
  /** Where the secret sits: `user:password@`, a `?password=` parameter, or a token as the user name. */
  where: 'userinfo' | 'query' | 'username-token';
  /** The query parameter's name, for `where: 'query'`. */
  param?: string;
  /** Why the secret part is a stand-in (`${DB_PASS}`, `password`, `xxxx`), if it is one. */
  placeholder?: string;
  /** Shorter than 8 characters or equal to the user name: a development default. */
  weak: boolean;
  length: number;
}

export interface UrlInfo {
  /** Lower-case scheme, `jdbc:` removed (`postgres`, `mongodb+srv`, `rediss`). */
  scheme: string;
  hosts: string[];
  /** Every host is the local machine (localhost, 127.0.0.0/8, ::1). */
  loopback: boolean;
  credential?: UrlCredential;
  /** Whether the WHATWG parser accepted the URL (after splitting multi-host lists). */
  parsed: boolean;
}

const SCHEME_RE = /([A-Za-z][A-Za-z0-9+.-]{0,30}):\/\//;

const CACHE_SCHEMES = new Set(['redis', 'rediss', 'valkey', 'valkeys', 'memcached', 'amqp', 'amqps', 'kafka', 'nats', 'mqtt', 'mqtts', 'stomp', 'stomps', 'sentinel', 'redis+sentinel']);
const SMTP_SCHEMES = new Set(['smtp', 'smtps', 'submission', 'imap', 'imaps', 'pop3', 'pop3s']);

const PASSWORD_PARAMS = new Set(['password', 'pass', 'passwd', 'pwd', 'sslpassword', 'secret', 'client_secret', 'clientsecret']);
const TOKEN_PARAMS = new Set(['token', 'access_token', 'accesstoken', 'auth_token', 'authtoken', 'api_key', 'apikey', 'key', 'auth', 'sig', 'signature', 'x-amz-signature', 'private_token', 'secret_key']);

/** Passwords that mean "the user name is the token" (GitHub's basic-auth convention). */
const TOKEN_AS_USER_PASSWORDS = new Set(['x-oauth-basic']);

/** The kind of secret a credential in a URL with this scheme is. */
export function kindForScheme(scheme: string): KindId {
  if (CACHE_SCHEMES.has(scheme)) return 'cache-password';
  if (SMTP_SCHEMES.has(scheme)) return 'smtp-password';
  return 'connection-url';
}

function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || h === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(h) || h.endsWith('.localhost');
}

function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    return close === -1 ? host : host.slice(0, close + 1);
  }
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Finds where the user info ends (`@`), allowing unencoded `/`, `?`, `#` and `@` in passwords. */
function userinfoEnd(rest: string): number {
  let delim = rest.search(/[/?#]/);
  if (delim === -1) delim = rest.length;
  const at = rest.lastIndexOf('@', delim);
  if (at !== -1) return at;
  // `user:pa/ss@host`: an `@` past the first delimiter still ends the user info when a `user:`
  // comes first and a host follows. A port (`h:5432/path?e=a@b`) is not a password.
  const firstAt = rest.indexOf('@');
  const colon = rest.indexOf(':');
  if (firstAt === -1 || colon === -1 || colon > firstAt || colon > delim) return -1;
  if (/^\d{1,5}(?:[/?#]|$)/.test(rest.slice(colon + 1))) return -1;
  const after = rest.slice(firstAt + 1);
  const last = rest.lastIndexOf('@', firstAt + 1 + after.search(/[/?#]|$/));
  return /^[A-Za-z0-9.\-_[\]:,%]+(?:[/?#]|$)/.test(rest.slice(last + 1)) ? last : -1;
}

/**
 * Parses the first URL in `value` and describes any credential in it (value-free). Returns
 * undefined when the value holds no `scheme://` URL. Cheap to call: a single `indexOf('://')`
 * rejects most values before any parsing.
 */
export function parseUrlValue(value: string): UrlInfo | undefined {
  const sep = value.indexOf('://');
  if (sep === -1) return undefined;
  const m = SCHEME_RE.exec(value);
  if (!m) return undefined;
  let candidate = value.slice(m.index);
  // An embedded URL ends at whitespace or a quote; a value that is one URL keeps everything.
  if (m.index > 0) candidate = candidate.split(/[\s"'`<>()]/)[0] ?? candidate;
  const scheme = (m[1] ?? '').toLowerCase();
  const rest = candidate.slice(m[0].length);

  const at = userinfoEnd(rest);
  const userinfo = at === -1 ? undefined : rest.slice(0, at);
  const afterUser = at === -1 ? rest : rest.slice(at + 1);
  let hostEnd = afterUser.search(/[/?#]/);
  if (hostEnd === -1) hostEnd = afterUser.length;
  const hostList = afterUser.slice(0, hostEnd);
  const tail = afterUser.slice(hostEnd);
  const hosts = hostList.split(',').map(stripPort).filter((h) => h !== '');
  const info: UrlInfo = { scheme, hosts, loopback: hosts.length > 0 && hosts.every(isLoopback), parsed: false };

  // One host is enough for the parser; the others only carry ports.
  const firstHost = hostList.split(',')[0] ?? '';
  let username = '';
  let password: string | undefined;
  let params: URLSearchParams | undefined;
  try {
    const encodedUser = userinfo === undefined ? '' : `${encodeUserinfo(userinfo)}@`;
    const url = new URL(`${scheme}://${encodedUser}${firstHost}${tail}`);
    info.parsed = true;
    username = decode(url.username);
    password = userinfo !== undefined && userinfo.includes(':') ? decode(url.password) : undefined;
    params = url.searchParams;
  } catch {
    if (userinfo !== undefined) {
      const colon = userinfo.indexOf(':');
      username = decode(colon === -1 ? userinfo : userinfo.slice(0, colon));
      password = colon === -1 ? undefined : decode(userinfo.slice(colon + 1));
    }
    const q = tail.indexOf('?');
    params = q === -1 ? undefined : new URLSearchParams(tail.slice(q + 1).split('#')[0]);
  }

  if (password !== undefined && password !== '' && TOKEN_AS_USER_PASSWORDS.has(password.toLowerCase())) {
    info.credential = secretPart('username-token', username, '');
  } else if (password !== undefined && password !== '') {
    info.credential = secretPart('userinfo', password, username);
  } else if (params) {
    for (const [name, v] of params) {
      const n = name.toLowerCase();
      if (PASSWORD_PARAMS.has(n) && v !== '') {
        info.credential = { ...secretPart('query', v, username), param: name };
        break;
      }
      if (TOKEN_PARAMS.has(n) && v.length >= 16 && entropyOf(v)?.random) {
        info.credential = { ...secretPart('query', v, username), param: name };
        break;
      }
    }
  }
  if (!info.credential && username.length >= 20 && entropyOf(username)?.random && !/sentry|ingest/i.test(hostList)) {
    // A bare token as the user name (`https://<token>@host`), except Sentry DSNs, whose
    // user name is a public key by design.
    info.credential = secretPart('username-token', username, '');
  }
  return info;
}

/** Percent-encodes what the parser would otherwise read as a delimiter, keeping `%XX` escapes. */
function encodeUserinfo(userinfo: string): string {
  const colon = userinfo.indexOf(':');
  const enc = (s: string) => s.replace(/%(?![0-9A-Fa-f]{2})|[@/?#[\]\s]/g, (c) => encodeURIComponent(c));
  return colon === -1 ? enc(userinfo) : `${enc(userinfo.slice(0, colon))}:${enc(userinfo.slice(colon + 1))}`;
}

function secretPart(where: UrlCredential['where'], secret: string, username: string): UrlCredential {
  const out: UrlCredential = { where, weak: secret.length < 8 || secret === username, length: secret.length };
  const placeholder = placeholderReason(secret) ?? (secret.length < 4 ? 'too short to be a credential' : undefined) ?? templated(secret);
  if (placeholder) out.placeholder = placeholder;
  return out;
}

/** `{password}` and `{{pass}}` survive in URLs after the parser escaped braces. */
function templated(s: string): string | undefined {
  return /^\{+[^{}]*\}+$|^%7B/i.test(s) ? 'placeholder in braces' : undefined;
}
