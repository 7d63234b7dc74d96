import type { VerifyStatus } from './types';

/*
 * Driver errors sorted into what a user acts on: the credential is wrong (`auth-failed`), the
 * server cannot be reached (`unreachable`), or something else (`error`: TLS refused, a missing
 * database, a permission the role lacks).
 */

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  'ECONNECTION', 'ESOCKET', 'ETIMEOUT', 'EDNS', 'ECONNABORTED',
]);

/** PostgreSQL SQLSTATEs for a rejected login: invalid_password, invalid_authorization_specification. */
const PG_AUTH = new Set(['28P01', '28000']);

function codesOf(err: unknown): string[] {
  const out: string[] = [];
  const visit = (e: unknown, depth: number): void => {
    if (!e || typeof e !== 'object' || depth > 3) return;
    const o = e as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof o.code === 'string') out.push(o.code);
    if (Array.isArray(o.errors)) for (const x of o.errors) visit(x, depth + 1);
    visit(o.cause, depth + 1);
  };
  visit(err, 0);
  return out;
}

/** Classifies a driver error. */
export function classifyError(err: unknown): VerifyStatus {
  const codes = codesOf(err);
  const raw = (err as { message?: unknown })?.message;
  const message = typeof raw === 'string' ? raw : '';
  const responseCode = (err as { responseCode?: unknown })?.responseCode;
  if (codes.some((c) => PG_AUTH.has(c))) return 'auth-failed';
  if (codes.includes('EAUTH') || responseCode === 535 || responseCode === 534) return 'auth-failed';
  if (/^(WRONGPASS|NOAUTH)\b|invalid username-password pair|invalid password/i.test(message)) return 'auth-failed';
  if (/password authentication failed|SASL: SCRAM-SERVER-FINAL|client password must be a string/i.test(message)) return 'auth-failed';
  if (codes.some((c) => NETWORK_CODES.has(c))) return 'unreachable';
  if (/timeout|timed out|Connection terminated|connect ECONNREFUSED|socket closed|Socket closed unexpectedly|getaddrinfo/i.test(message)) return 'unreachable';
  return 'error';
}
