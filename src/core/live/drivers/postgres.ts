import type { Client, ClientConfig } from 'pg';
import { pgLib } from '../../vendor/lazy';
import { classifyError } from '../classify';
import { canPrehash, md5Verifier, quoteIdentifier, quoteLiteral, scramSha256Verifier } from '../passwordVerifier';
import { errorText } from '../sanitize';
import { LiveError, type AdminSession, type ConnectionTarget, type LiveDriver, type VerifyOutcome } from '../types';
import { nodeTlsOptions } from './tlsOptions';

/*
 * PostgreSQL through `pg`. Every field is passed explicitly (never a connection string), so pg
 * neither echoes the URL in errors nor fills gaps from the PG* variables of rekey's own process.
 */

function config(target: ConnectionTarget, timeoutMs: number, ssl: boolean): ClientConfig {
  const tls = ssl ? nodeTlsOptions(target.tls, target.host) : undefined;
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database || target.user,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: 'rekey',
    ssl: tls ?? false,
  };
}

async function connect(target: ConnectionTarget, timeoutMs: number): Promise<Client> {
  const { Client } = pgLib();
  const attempt = async (ssl: boolean): Promise<Client> => {
    const client = new Client(config(target, timeoutMs, ssl));
    // An error after connecting (the server going away) must not crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
  };
  if (target.tls.mode !== 'prefer') return attempt(target.tls.mode !== 'off');
  try {
    return await attempt(true);
  } catch (err) {
    // libpq's `prefer`: a server without TLS is then used in plain text.
    if (/does not support SSL/i.test(String((err as Error).message))) return attempt(false);
    throw err;
  }
}

function fail(err: unknown, target: ConnectionTarget, extra: string[] = []): LiveError {
  return new LiveError(errorText(err, [target.password, ...extra]), classifyError(err));
}

class PostgresAdminSession implements AdminSession {
  constructor(private readonly client: Client, private readonly secrets: string[]) {}

  async changePassword(user: string, newPassword: string): Promise<string> {
    const secrets = [...this.secrets, newPassword];
    try {
      const r = await this.client.query<{ password_encryption: string }>('SHOW password_encryption');
      const method = (r.rows[0]?.password_encryption ?? 'scram-sha-256').toLowerCase();
      if (!canPrehash(newPassword)) {
        throw new LiveError('the new password has characters outside printable ASCII; rekey hashes passwords before sending them and supports ASCII only', 'error');
      }
      const verifier = method === 'md5' ? md5Verifier(newPassword, user) : scramSha256Verifier(newPassword);
      await this.client.query(`ALTER ROLE ${quoteIdentifier(user)} PASSWORD ${quoteLiteral(verifier)}`);
      return method === 'md5' ? 'md5 hash computed by rekey' : 'SCRAM-SHA-256 verifier computed by rekey';
    } catch (err) {
      if (err instanceof LiveError) throw err;
      throw new LiveError(errorText(err, secrets), classifyError(err));
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/** The PostgreSQL driver. */
export const postgresDriver: LiveDriver = {
  service: 'postgres',
  async verify(target, timeoutMs): Promise<VerifyOutcome> {
    const started = Date.now();
    let client: Client | undefined;
    try {
      client = await connect(target, timeoutMs);
      await client.query('SELECT 1');
      return { status: 'ok', detail: 'connected and ran SELECT 1', ms: Date.now() - started };
    } catch (err) {
      const e = fail(err, target);
      return { status: e.status, detail: e.message, ms: Date.now() - started };
    } finally {
      await client?.end().catch(() => undefined);
    }
  },
  async openAdmin(target, timeoutMs): Promise<AdminSession> {
    try {
      return new PostgresAdminSession(await connect(target, timeoutMs), [target.password]);
    } catch (err) {
      throw fail(err, target);
    }
  },
};
