import * as path from 'node:path';
import type { EnvEntry } from '../env/types';
import { findLinkedEntries, type LinkSearchFile } from '../rotation/linked';
import { parseConnectionUrl, type ConnectionUrl } from './connectionUrl';
import type { ConnectionTarget, ServiceKind, TlsSettings } from './types';

/*
 * Which servers a `.env` file's connection secrets open, read from the entries themselves:
 * connection URLs (`DATABASE_URL=postgres://...`, `REDIS_URL=redis://:...@`), and password keys
 * either through the URL that embeds the same password (the linked-entry search rotation uses) or
 * through their sibling keys (`POSTGRES_HOST`/`_PORT`/`_USER`/`_DB`, `SMTP_HOST`/`_USER`...).
 */

/** A connection secret and the servers it is checked against. Value-free when serialised. */
export interface SecretTargets {
  key: string;
  /** Absolute path of the `.env` file, and the 0-based line of the entry. */
  file: string;
  line: number;
  /** `undefined` when the scheme is one rekey does not know. */
  service?: ServiceKind;
  scheme: string;
  /** For a password key checked through a URL: that URL's key. */
  via?: string;
  /** One per host (multi-host URLs give several). Empty when skipped. */
  targets: ConnectionTarget[];
  /** Why it is not checked (no driver, no host...). */
  skipped?: string;
}

const SCHEME_SERVICE: Record<string, ServiceKind> = {
  postgres: 'postgres', postgresql: 'postgres', mysql: 'mysql', mariadb: 'mysql',
  redis: 'redis', rediss: 'redis', valkey: 'redis', valkeys: 'redis',
  smtp: 'smtp', smtps: 'smtp', submission: 'smtp',
};

/** Key prefixes that name a service, for password keys without a URL. */
// A qualifier may come first (`ORDERS_DB_PASSWORD`, `BILLING_REDIS_PASS`): its sibling keys
// share it (`ORDERS_DB_HOST`). It must end in `_`, so `MONGODB_PASSWORD` is not a `DB_` password.
const QUALIFIER = '(?:[A-Za-z0-9]+_)*';
const PREFIX_SERVICE: Array<[RegExp, ServiceKind, string]> = [
  [new RegExp(`^${QUALIFIER}(?:POSTGRES(?:QL)?|PG|DB|DATABASE)_?$`, 'i'), 'postgres', 'postgres'],
  [new RegExp(`^${QUALIFIER}(?:MYSQL|MARIADB)_?$`, 'i'), 'mysql', 'mysql'],
  [new RegExp(`^${QUALIFIER}(?:REDIS|VALKEY|CACHE)_?$`, 'i'), 'redis', 'redis'],
  [new RegExp(`^${QUALIFIER}(?:SMTP|MAIL|EMAIL)_?$`, 'i'), 'smtp', 'smtp'],
];

const PASSWORD_KEY = /^(.*?)(PASSWORD|PASSWD|PASS|PWD)$/i;

/** Builds a target whose password is a non-enumerable property. */
export function makeTarget(fields: Omit<ConnectionTarget, 'password'>, password: string): ConnectionTarget {
  const t = { ...fields };
  Object.defineProperty(t, 'password', { value: password, enumerable: false, writable: false });
  return t as ConnectionTarget;
}

function tlsFor(service: ServiceKind, url: ConnectionUrl | undefined, port: number, envDir: string, secure?: string): TlsSettings {
  if (service === 'postgres' || service === 'mysql') {
    const mode = url?.params.get('sslmode') ?? url?.params.get('ssl-mode') ?? (url?.params.get('ssl') === 'true' ? 'require' : undefined);
    const ca = url?.params.get('sslrootcert') ?? undefined;
    const caFile = ca && ca !== 'system' ? path.resolve(envDir, ca) : undefined;
    const m = (mode ?? 'prefer').toLowerCase();
    const known: Record<string, TlsSettings['mode']> = { disable: 'off', allow: 'prefer', prefer: 'prefer', require: 'require', 'verify-ca': 'verify-ca', 'verify-full': 'verify-full', verify_identity: 'verify-full', required: 'require', disabled: 'off' };
    return { mode: known[m] ?? 'prefer', ...(caFile ? { caFile } : {}), source: mode ? `sslmode=${m}` : 'default (prefer)' };
  }
  if (service === 'redis') {
    const tls = url?.scheme === 'rediss' || url?.scheme === 'valkeys';
    return { mode: tls ? 'verify-full' : 'off', source: tls ? `${url?.scheme}://` : `${url?.scheme ?? 'redis'}://` };
  }
  const implicit = url?.scheme === 'smtps' || /^(true|1|yes|ssl|tls)$/i.test(secure ?? '') || (secure === undefined && port === 465);
  return { mode: implicit ? 'verify-full' : 'prefer', source: implicit ? 'implicit TLS' : 'STARTTLS when offered' };
}

function lastDefinitions(parsed: LinkSearchFile['parsed']): Map<string, EnvEntry> {
  const m = new Map<string, EnvEntry>();
  for (const e of parsed.entries) m.set(e.key, e);
  return m;
}

/** `${NAME}` / `$NAME` references resolved from the same file, as dotenv-expand does. */
function expand(value: string, defs: Map<string, EnvEntry>): string {
  return value.replace(/(^|[^\\])\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, pre: string, a?: string, def?: string, b?: string) => {
    const v = defs.get((a ?? b) as string)?.value;
    return pre + (v !== undefined && v !== '' ? v : (def ?? ''));
  });
}

function urlTargets(url: ConnectionUrl, service: ServiceKind, envDir: string): ConnectionTarget[] {
  const tls = tlsFor(service, url, url.hosts[0]?.port ?? 0, envDir);
  const seconds = Number(url.params.get('connect_timeout') ?? url.params.get('connectTimeout') ?? NaN);
  return url.hosts.map((h) =>
    makeTarget(
      {
        service, scheme: url.scheme, host: h.host, port: h.port, user: url.user, database: url.path, tls,
        ...(Number.isFinite(seconds) && seconds > 0 ? { timeoutMs: seconds * 1000 } : {}),
      },
      url.password ?? '',
    ),
  );
}

/**
 * The connection secrets of the live `.env` files in `files` (templates and backups are left out)
 * and the servers each is checked against. `keys`, when given, limits the result to those keys.
 */
export function deriveTargets(files: LinkSearchFile[], keys?: readonly string[]): SecretTargets[] {
  const out: SecretTargets[] = [];
  const wanted = keys && keys.length > 0 ? new Set(keys) : undefined;
  for (const f of files) {
    if (f.role !== 'env') continue;
    const envDir = path.dirname(path.resolve(f.path));
    const defs = lastDefinitions(f.parsed);
    const byUrlKey = new Map<string, SecretTargets>();
    // URLs first: password keys may be checked through them.
    for (const e of defs.values()) {
      const value = expand(e.value, defs);
      const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) ? parseConnectionUrl(value) : undefined;
      if (!url || url.hosts.length === 0) continue;
      const service = SCHEME_SERVICE[url.scheme];
      if (!service && url.password === undefined) continue;
      const item: SecretTargets = { key: e.key, file: path.resolve(f.path), line: e.range.start.line, scheme: url.scheme, targets: [] };
      if (!service) {
        item.skipped = `no driver for this scheme (${url.scheme}://)`;
      } else if (service === 'mysql') {
        item.service = service;
        item.skipped = 'no driver for this scheme (mysql://): MySQL/MariaDB checks are not available yet';
      } else {
        item.service = service;
        item.targets = urlTargets(url, service, envDir);
        if (url.password === undefined && service !== 'redis') item.skipped = 'the URL has no password';
      }
      byUrlKey.set(e.key, item);
      if (!wanted || wanted.has(e.key)) out.push(item);
    }
    for (const e of defs.values()) {
      if (byUrlKey.has(e.key) || (wanted && !wanted.has(e.key))) continue;
      const pm = PASSWORD_KEY.exec(e.key);
      if (!pm) continue;
      const prefix = pm[1] as string;
      const service = PREFIX_SERVICE.find(([re]) => re.test(prefix));
      const value = expand(e.value, defs);
      if (!service || value === '') continue;
      const item: SecretTargets = { key: e.key, file: path.resolve(f.path), line: e.range.start.line, service: service[1], scheme: service[2], targets: [] };
      // The URL that embeds the same password (the rotation's linked-entry search decides).
      const link = findLinkedEntries({ file: f.path, entry: e, secret: value }, [f]).find((l) => l.relation === 'url-password' && byUrlKey.get(l.key)?.service === service[1]);
      const viaUrl = link ? byUrlKey.get(link.key) : undefined;
      if (viaUrl) {
        item.via = viaUrl.key;
        item.scheme = viaUrl.scheme;
        item.targets = viaUrl.targets;
        if (viaUrl.skipped) item.skipped = viaUrl.skipped;
      } else if (service[1] === 'mysql') {
        item.skipped = 'no driver for this scheme (mysql): MySQL/MariaDB checks are not available yet';
      } else {
        const get = (...names: string[]): string | undefined => {
          for (const n of names) {
            const v = defs.get(`${prefix}${n}`)?.value;
            if (v !== undefined && v !== '') return expand(v, defs);
          }
          return undefined;
        };
        const host = get('HOST', 'HOSTNAME', 'SERVER');
        if (!host) {
          item.skipped = `no server to check against: set ${prefix}HOST or a URL that embeds this password`;
        } else {
          const kind = service[1];
          const defaultPort = kind === 'postgres' ? 5432 : kind === 'redis' ? 6379 : 587;
          const port = Number(get('PORT') ?? defaultPort);
          const user = get('USER', 'USERNAME', 'LOGIN') ?? (kind === 'postgres' ? 'postgres' : '');
          const database = get('DB', 'DATABASE', 'NAME') ?? '';
          const tls = tlsFor(kind, undefined, port, envDir, get('SECURE', 'TLS', 'SSL'));
          item.targets = [makeTarget({ service: kind, scheme: kind, host, port: Number.isFinite(port) ? port : defaultPort, user, database, tls }, value)];
        }
      }
      out.push(item);
    }
  }
  return out;
}
