import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

/*
 * Real servers for the live tests, started from the Debian packages (`postgresql`,
 * `redis-server`) on loopback ports in temporary folders, and an SMTP server with AUTH from the
 * `smtp-server` package. initdb refuses to run as root, so PostgreSQL runs as the `postgres`
 * system user (the package creates it) in a folder owned by that user.
 * A missing server binary skips the tests with a message, except under CI=true, where it fails.
 */

/** Mocha's `this` in a hook, reduced to what is used. */
interface Skippable {
  skip(): void;
}

/** Skips the suite (locally) or fails it (CI) when a server cannot be started. */
export function requireServer(ctx: Skippable, what: string, available: boolean): void {
  if (available) return;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${what} is not installed, and CI must run the live tests (apt-get install -y postgresql redis-server)`);
  process.stderr.write(`      skipped: ${what} is not installed (apt-get install -y postgresql redis-server); CI runs these tests\n`);
  ctx.skip();
}

/** A free loopback port (the kernel's choice, released before the server takes it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${ms} ms`);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The newest PostgreSQL server folder the Debian package installs, if any. */
export function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : undefined;
}

export function redisServerBin(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

export interface PostgresServer {
  port: number;
  /** The superuser `postgres` and its password. */
  superuser: string;
  superPassword: string;
  dir: string;
  stop(): Promise<void>;
  /** Starts it again on the same port after `stop()`. */
  start(): Promise<void>;
}

/** Starts a throw-away PostgreSQL cluster (scram-sha-256 for TCP logins) on a loopback port. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rekey-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]): string[] => (asRoot ? ['runuser', '-u', 'postgres', '--', cmd, ...args] : [cmd, ...args]);
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
  }
  const superPassword = `super-${Math.random().toString(36).slice(2)}`;
  const pwfile = path.join(dir, 'pw');
  writeFileSync(pwfile, superPassword + '\n', { mode: 0o600 });
  if (asRoot) spawnSync('chown', ['postgres', pwfile]);
  const data = path.join(dir, 'data');
  const init = run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync']);
  const r = spawnSync(init[0] as string, init.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr}`);
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server: PostgresServer = {
    port, superuser: 'postgres', superPassword, dir,
    async start() {
      const cmd = run(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'log_statement=all', '-c', 'logging_collector=off']);
      const c = spawn(cmd[0] as string, cmd.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
      c.stderr?.on('data', (d: Buffer) => {
        serverLog += d.toString('utf8');
      });
      child = c;
      await waitFor(async () => {
        const probe = new Client({ host: '127.0.0.1', port, user: 'postgres', password: superPassword, database: 'postgres', connectionTimeoutMillis: 1000 });
        probe.on('error', () => undefined);
        try {
          await probe.connect();
          return true;
        } finally {
          await probe.end().catch(() => undefined);
        }
      }, 'postgres');
    },
    async stop() {
      await stopChild(child);
    },
  };
  let serverLog = '';
  Object.defineProperty(server, 'log', { get: () => serverLog });
  await server.start();
  return server;
}

/** The server's own log (statements are logged: `log_statement=all`), for never-leak checks. */
export function postgresLog(server: PostgresServer): string {
  return (server as unknown as { log: string }).log;
}

export interface RedisServer {
  port: number;
  dir: string;
  configFile: string;
  stop(): Promise<void>;
}

/** Starts redis-server from a temporary config file (so CONFIG REWRITE works). `extra` lines are appended. */
export async function startRedis(extra: string[] = []): Promise<RedisServer> {
  const bin = redisServerBin();
  if (!bin) throw new Error('redis-server is not installed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rekey-redis-'));
  const port = await freePort();
  const configFile = path.join(dir, 'redis.conf');
  writeFileSync(configFile, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'save ""', 'appendonly no', 'protected-mode yes', ...extra, ''].join('\n'));
  const child = spawn(bin, [configFile], { stdio: 'ignore' });
  await waitFor(() => portOpen(port), 'redis-server');
  return { port, dir, configFile, stop: () => stopChild(child) };
}

/** Removes a server's temporary folder. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
