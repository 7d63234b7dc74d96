import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { cli } from '../../helpers/cli';
import { freePort, postgresBinDir, redisServerBin, removeDir, requireServer, startPostgres, startRedis, type PostgresServer, type RedisServer } from '../../helpers/liveServers';
import { REPO_ROOT } from '../../helpers/shared';
import { startSmtpAuthServer, type SmtpAuthServer } from '../../helpers/smtpAuthServer';

/*
 * `rekey verify` against real servers: PostgreSQL and Redis from the Debian packages, SMTP from
 * `smtp-server`. Passwords are canaries that must never appear in any output.
 */

const PG_PW = 'PgCanary7d41b9e2Zx';
const REDIS_PW = 'RedisCanary5c2a90ffQw';
const SMTP_PW = 'SmtpCanary33e1a7b0Lm';

describe('rekey verify (real servers)', function () {
  this.timeout(60_000);
  let pg: PostgresServer | undefined;
  let redis: RedisServer | undefined;
  let smtp: SmtpAuthServer | undefined;
  let dir: string;

  before(async function () {
    requireServer(this, 'PostgreSQL (postgresql package)', postgresBinDir() !== undefined);
    requireServer(this, 'redis-server', redisServerBin() !== undefined);
    pg = await startPostgres();
    const admin = new Client({ host: '127.0.0.1', port: pg.port, user: 'postgres', password: pg.superPassword, database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE ROLE app LOGIN PASSWORD '${PG_PW}'`);
    await admin.query('CREATE DATABASE appdb OWNER app');
    await admin.end();
    redis = await startRedis([`requirepass ${REDIS_PW}`]);
    smtp = await startSmtpAuthServer('mailer@example.com', SMTP_PW);
    dir = mkdtempSync(path.join(os.tmpdir(), 'rekey-verify-'));
  });

  after(async () => {
    await pg?.stop();
    await redis?.stop();
    await smtp?.close();
    if (pg) removeDir(pg.dir);
    if (redis) removeDir(redis.dir);
    if (dir) removeDir(dir);
  });

  function envFile(text: string): string {
    const d = mkdtempSync(path.join(dir, 'ws-'));
    writeFileSync(path.join(d, '.env'), text);
    return d;
  }

  function assertNoCanary(out: string): void {
    for (const c of [PG_PW, REDIS_PW, SMTP_PW, 'WrongCanary0000', pg?.superPassword ?? 'x']) {
      assert.ok(!out.includes(c), `a value leaked into the output:\n${out}`);
      assert.ok(!out.includes(Buffer.from(c).toString('base64')), `a base64 value leaked:\n${out}`);
    }
  }

  it('reports ok for working PostgreSQL, Redis and SMTP credentials, per key and host', async () => {
    const ws = envFile([
      `POSTGRES_PASSWORD=${PG_PW}`,
      `DATABASE_URL=postgres://app:${PG_PW}@127.0.0.1:${pg?.port}/appdb?sslmode=disable`,
      `REDIS_URL=redis://:${REDIS_PW}@127.0.0.1:${redis?.port}/0`,
      'SMTP_HOST=127.0.0.1', `SMTP_PORT=${smtp?.port}`, 'SMTP_USER=mailer@example.com', `SMTP_PASS=${SMTP_PW}`, 'SMTP_SECURE=false',
      'AMQP_URL=amqp://guest:AmqpCanary1234567@127.0.0.1:5672/',
      '',
    ].join('\n'));
    const r = await cli(['verify', '--format', 'json'], ws);
    assertNoCanary(r.stdout + r.stderr);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const json = JSON.parse(r.stdout) as { results: Array<{ key: string; status: string; via?: string; host: string; detail: string }> };
    const by = (k: string) => json.results.find((x) => x.key === k);
    assert.equal(by('DATABASE_URL')?.status, 'ok');
    assert.equal(by('POSTGRES_PASSWORD')?.status, 'ok');
    assert.equal(by('POSTGRES_PASSWORD')?.via, 'DATABASE_URL');
    assert.equal(by('REDIS_URL')?.status, 'ok');
    assert.equal(by('SMTP_PASS')?.status, 'ok');
    assert.equal(by('AMQP_URL')?.status, 'skipped');
    assert.match(by('AMQP_URL')?.detail ?? '', /no driver for this scheme/);
    assert.equal(by('DATABASE_URL')?.host, `127.0.0.1:${pg?.port}`);
    assert.ok(!r.stdout.includes('AmqpCanary1234567'));
  });

  it('reports auth failed and unreachable with exit code 1, never echoing the value', async () => {
    const down = await freePort();
    const ws = envFile([
      `DATABASE_URL=postgresql://app:WrongCanary0000@127.0.0.1:${pg?.port}/appdb?sslmode=disable`,
      `REDIS_URL=redis://default:WrongCanary0000@127.0.0.1:${redis?.port}`,
      `CACHE_URL=redis://:WrongCanary0000@127.0.0.1:${down}`,
      'SMTP_HOST=127.0.0.1', `SMTP_PORT=${smtp?.port}`, 'SMTP_USER=mailer@example.com', 'SMTP_PASSWORD=WrongCanary0000',
      '',
    ].join('\n'));
    const r = await cli(['verify', '--timeout', '3000'], ws);
    assertNoCanary(r.stdout + r.stderr);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^auth failed +DATABASE_URL app@127\.0\.0\.1:\d+/m);
    assert.match(r.stdout, /^auth failed +REDIS_URL default@/m);
    assert.match(r.stdout, /^unreachable +CACHE_URL/m);
    assert.match(r.stdout, /^auth failed +SMTP_PASSWORD/m);
    assert.ok(smtp?.attempts.some((a) => !a.ok), 'the SMTP server saw a failed AUTH');
  });

  it('checks only the keys named, and rejects unknown ones', async () => {
    const ws = envFile(`DATABASE_URL=postgres://app:${PG_PW}@127.0.0.1:${pg?.port}/appdb\nREDIS_URL=redis://:WrongCanary0000@127.0.0.1:${redis?.port}\n`);
    const r = await cli(['verify', 'DATABASE_URL'], ws);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(!r.stdout.includes('REDIS_URL'));
    const bad = await cli(['verify', 'NOPE'], ws);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a connection secret/);
  });

  it('the built CLI never prints a value on stdout or stderr (canary)', () => {
    const built = path.join(REPO_ROOT, 'dist', 'cli.js');
    const build = spawnSync(process.execPath, [path.join(REPO_ROOT, 'esbuild.js')], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    // The drivers ship as their own chunks, loaded on first use: the CLI's start does not parse them.
    for (const out of ['cli.bundle.js', 'extension.js']) {
      const text = readFileSync(path.join(REPO_ROOT, 'dist', out), 'utf8');
      assert.match(text, /require\("\.\/vendor\/pg\.js"\)/);
      assert.match(text, /require\("\.\/vendor\/redis-client\.js"\)/);
      assert.ok(!text.includes('SCRAM-SERVER-FIRST-MESSAGE'), `${out} bundles pg itself`);
      assert.ok(!text.includes('RESP_TYPES'), `${out} bundles the Redis client itself`);
    }
    const ws = envFile([
      `DATABASE_URL=postgres://app:${PG_PW}@127.0.0.1:${pg?.port}/appdb`,
      `BAD_DATABASE_URL=postgres://app:WrongCanary0000@127.0.0.1:${pg?.port}/appdb`,
      `REDIS_URL=redis://:${REDIS_PW}@127.0.0.1:${redis?.port}`,
      '',
    ].join('\n'));
    for (const format of ['text', 'json']) {
      const r = spawnSync(process.execPath, [built, 'verify', '--format', format], { cwd: ws, encoding: 'utf8', env: { ...process.env, REKEY_DEBUG: '1' } });
      assertNoCanary(r.stdout + r.stderr);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /BAD_DATABASE_URL/);
    }
  });
});
