import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { TlsSettings } from '../types';

/**
 * Node TLS options for a mode. `undefined` for plain TCP. `verify-ca` checks the chain but not
 * the host name, as libpq does.
 */
export function nodeTlsOptions(tls: TlsSettings, servername: string): ConnectionOptions | undefined {
  if (tls.mode === 'off') return undefined;
  const ca = tls.caFile ? readFileSync(tls.caFile) : undefined;
  const base: ConnectionOptions = { ...(ca ? { ca } : {}), ...(/^[\d.:]+$/.test(servername) ? {} : { servername }) };
  switch (tls.mode) {
    case 'prefer':
    case 'require':
      return { ...base, rejectUnauthorized: false };
    case 'verify-ca':
      return { ...base, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    default:
      return { ...base, rejectUnauthorized: true };
  }
}
