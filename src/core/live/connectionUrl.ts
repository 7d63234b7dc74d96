import { parseUrlValue } from '../detect/urlCredentials';
import { findUrlPassword } from '../rotation/urlPassword';

/*
 * The parts of a connection URL a driver needs (hosts with ports, user, database, query options).
 * The password's position and decoding come from `findUrlPassword`, the scheme and host list from
 * `parseUrlValue`, so rekey reads a URL one way everywhere; this only adds ports, user and path.
 */

/** One `host:port` of a (possibly multi-host) URL. */
export interface HostPort {
  host: string;
  port: number;
}

/** A connection URL taken apart. `password` is secret. */
export interface ConnectionUrl {
  /** Lower-case scheme (`postgres`, `rediss`, `smtps`). */
  scheme: string;
  hosts: HostPort[];
  /** Percent-decoded user name; '' when absent. */
  user: string;
  /** Percent-decoded password; `undefined` when the URL has none. Secret. */
  password: string | undefined;
  /** Path without its leading `/`, percent-decoded (the database, or the Redis db number). */
  path: string;
  /** Query parameters (`sslmode`, `connect_timeout`...). Values are not secret for the parameters rekey reads. */
  params: URLSearchParams;
}

const DEFAULT_PORTS: Record<string, number> = {
  postgres: 5432, postgresql: 5432, mysql: 3306, mariadb: 3306, redis: 6379, rediss: 6379, valkey: 6379, valkeys: 6379,
  smtp: 587, submission: 587, smtps: 465,
};

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function splitHostPort(part: string, fallback: number): HostPort {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(part);
  if (bracket) return { host: bracket[1] as string, port: bracket[2] ? Number(bracket[2]) : fallback };
  const colon = part.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(part.slice(colon + 1))) return { host: decode(part.slice(0, colon)), port: Number(part.slice(colon + 1)) };
  return { host: decode(part), port: fallback };
}

/**
 * Takes a `scheme://[user[:password]@]host[:port][,host2[:port]][/path][?query]` value apart.
 * `undefined` when the value is not such a URL or has no host.
 */
export function parseConnectionUrl(value: string): ConnectionUrl | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value);
  if (!m) return undefined;
  const info = parseUrlValue(value);
  if (!info) return undefined;
  const scheme = info.scheme;
  const pw = findUrlPassword(value);
  const rest = value.slice(m[0].length);
  // The user info ends at the `@` findUrlPassword found, else at the last `@` before the path.
  let afterUser = rest;
  let user = '';
  const at = pw ? pw.end - m[0].length : (() => {
    const end = rest.search(/[/?#]/);
    return rest.lastIndexOf('@', end === -1 ? rest.length : end);
  })();
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    user = decode(colon === -1 ? userinfo : userinfo.slice(0, colon));
    afterUser = rest.slice(at + 1);
  }
  let hostEnd = afterUser.search(/[/?#]/);
  if (hostEnd === -1) hostEnd = afterUser.length;
  const fallback = DEFAULT_PORTS[scheme] ?? 0;
  const hosts = afterUser.slice(0, hostEnd).split(',').filter((h) => h !== '').map((h) => splitHostPort(h, fallback));
  const tail = afterUser.slice(hostEnd).split('#')[0] ?? '';
  const q = tail.indexOf('?');
  const pathPart = q === -1 ? tail : tail.slice(0, q);
  const params = new URLSearchParams(q === -1 ? '' : tail.slice(q + 1));
  return { scheme, hosts, user, password: pw?.decoded, path: decode(pathPart.replace(/^\//, '')), params };
}
