import { DRIVERS } from './drivers';
import type { SecretTargets } from './targets';
import type { ConnectionTarget, LiveDriver, ServiceKind, VerifyOutcome, VerifyStatus } from './types';

/** One key checked against one host. Value-free. */
export interface VerifyResult {
  key: string;
  file: string;
  line: number;
  service?: ServiceKind;
  scheme: string;
  via?: string;
  /** `host:port`, or '' when skipped before a host was known. */
  host: string;
  user: string;
  tls: string;
  status: VerifyStatus;
  detail: string;
  ms?: number;
}

export interface VerifyReport {
  results: VerifyResult[];
  /** Counts per status. */
  counts: Record<VerifyStatus, number>;
  /** Whether every checked connection was `ok` (skipped entries do not count against it). */
  ok: boolean;
}

export interface VerifyOptions {
  /** Per-connection timeout in milliseconds (a URL's `connect_timeout` wins when shorter). Default 5000. */
  timeoutMs?: number;
  /** Drivers by service; default the shipped ones. Tests pass failing ones. */
  drivers?: Partial<Record<ServiceKind, LiveDriver>>;
  /** Called after each result, for progress. */
  onResult?: (result: VerifyResult, done: number, total: number) => void;
  signal?: AbortSignal;
}

function hostLabel(t: ConnectionTarget): string {
  return t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}

/**
 * Connects to every target with the current credentials and reports, per key and host, `ok`,
 * `auth-failed`, `unreachable`, `error` or `skipped`. Each distinct connection is made once even
 * when several keys lead to it (a password key and the URL embedding it). Never throws for a
 * connection problem; those are results.
 */
export async function verifySecrets(items: SecretTargets[], options: VerifyOptions = {}): Promise<VerifyReport> {
  const drivers = options.drivers ?? DRIVERS;
  const timeout = options.timeoutMs ?? 5000;
  const cache = new Map<ConnectionTarget, Promise<VerifyOutcome>>();
  const total = items.reduce((n, i) => n + Math.max(1, i.targets.length), 0);
  const results: VerifyResult[] = [];
  const push = (r: VerifyResult): void => {
    results.push(r);
    options.onResult?.(r, results.length, total);
  };
  for (const item of items) {
    const base = { key: item.key, file: item.file, line: item.line, scheme: item.scheme, ...(item.service ? { service: item.service } : {}), ...(item.via ? { via: item.via } : {}) };
    const driver = item.service ? drivers[item.service] : undefined;
    if (item.skipped || item.targets.length === 0 || !driver) {
      const first = item.targets[0];
      push({
        ...base, host: first ? hostLabel(first) : '', user: first?.user ?? '', tls: first?.tls.source ?? '',
        status: 'skipped', detail: item.skipped ?? `no driver for this scheme (${item.scheme})`,
      });
      continue;
    }
    for (const t of item.targets) {
      options.signal?.throwIfAborted();
      let outcome = cache.get(t);
      if (!outcome) {
        outcome = driver.verify(t, Math.min(timeout, t.timeoutMs ?? timeout));
        cache.set(t, outcome);
      }
      const o = await outcome;
      push({ ...base, host: hostLabel(t), user: t.user, tls: `${t.tls.mode} (${t.tls.source})`, status: o.status, detail: o.detail, ...(o.ms !== undefined ? { ms: o.ms } : {}) });
    }
  }
  const counts: Record<VerifyStatus, number> = { ok: 0, 'auth-failed': 0, unreachable: 0, skipped: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return { results, counts, ok: counts['auth-failed'] + counts.unreachable + counts.error === 0 };
}

/** The words a user sees for a status. */
export function statusLabel(status: VerifyStatus): string {
  switch (status) {
    case 'auth-failed':
      return 'auth failed';
    default:
      return status;
  }
}
