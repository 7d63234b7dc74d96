import { redisLib } from '../../vendor/lazy';
import { classifyError } from '../classify';
import { errorText } from '../sanitize';
import { LiveError, type AdminSession, type ConnectionTarget, type LiveDriver, type VerifyOutcome } from '../types';
import { nodeTlsOptions } from './tlsOptions';

/*
 * Redis (and Valkey) through node-redis's core client, `@redis/client`: the client Redis itself
 * maintains, without the module packages (JSON, search...) the `redis` meta-package adds. It is
 * given host, port and credentials separately, never the URL, and never reconnects: one attempt
 * is the answer a check needs.
 */

type Client = ReturnType<ReturnType<typeof redisLib>['createClient']>;

async function connect(target: ConnectionTarget, timeoutMs: number): Promise<Client> {
  const { createClient } = redisLib();
  const tls = target.tls.mode === 'off' ? undefined : nodeTlsOptions(target.tls, target.host);
  const db = /^\d+$/.test(target.database) ? Number(target.database) : undefined;
  const client = createClient({
    socket: {
      host: target.host,
      port: target.port,
      connectTimeout: timeoutMs,
      reconnectStrategy: false,
      ...(tls ? { tls: true as const, ...tls } : {}),
    },
    ...(target.user !== '' ? { username: target.user } : {}),
    ...(target.password !== '' ? { password: target.password } : {}),
    ...(db !== undefined ? { database: db } : {}),
    disableClientInfo: true,
  });
  // node-redis reports socket problems as events; without a listener they would crash the process.
  client.on('error', () => undefined);
  const timer = new Promise<never>((_, reject) => setTimeout(() => reject(Object.assign(new Error('connection timed out'), { code: 'ETIMEDOUT' })), timeoutMs).unref());
  try {
    await Promise.race([client.connect(), timer]);
    return client as Client;
  } catch (err) {
    client.destroy();
    throw err;
  }
}

function close(client: Client | undefined): void {
  try {
    client?.destroy();
  } catch {
    // Already closed.
  }
}

class RedisAdminSession implements AdminSession {
  constructor(private readonly client: Client, private readonly secrets: string[]) {}

  async changePassword(user: string, newPassword: string): Promise<string> {
    const secrets = [...this.secrets, newPassword];
    try {
      let how: string;
      if (user === '' || user === 'default') {
        await this.client.sendCommand(['CONFIG', 'SET', 'requirepass', newPassword]);
        how = 'CONFIG SET requirepass';
      } else {
        // `resetpass` drops the user's other passwords: the old one stops working, as with requirepass.
        await this.client.sendCommand(['ACL', 'SETUSER', user, 'resetpass', `>${newPassword}`]);
        how = `ACL SETUSER ${user}`;
      }
      try {
        await this.client.sendCommand(['CONFIG', 'REWRITE']);
        return `${how}; saved with CONFIG REWRITE`;
      } catch (err) {
        // No config file, or CONFIG REWRITE renamed/forbidden: the change lasts until the next restart.
        return `${how}; NOT persisted (CONFIG REWRITE: ${errorText(err, secrets)}): put it in redis.conf or the server loses it on restart`;
      }
    } catch (err) {
      throw new LiveError(errorText(err, secrets), classifyError(err));
    }
  }

  async close(): Promise<void> {
    close(this.client);
    return Promise.resolve();
  }
}

/** The Redis driver. */
export const redisDriver: LiveDriver = {
  service: 'redis',
  async verify(target, timeoutMs): Promise<VerifyOutcome> {
    const started = Date.now();
    let client: Client | undefined;
    try {
      client = await connect(target, timeoutMs);
      await client.sendCommand(['PING']);
      return { status: 'ok', detail: 'authenticated and ran PING', ms: Date.now() - started };
    } catch (err) {
      return { status: classifyError(err), detail: errorText(err, [target.password]), ms: Date.now() - started };
    } finally {
      close(client);
    }
  },
  async openAdmin(target, timeoutMs): Promise<AdminSession> {
    try {
      return new RedisAdminSession(await connect(target, timeoutMs), [target.password]);
    } catch (err) {
      throw new LiveError(errorText(err, [target.password]), classifyError(err));
    }
  },
};
