import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as dotenv from 'dotenv';
import { Client } from 'pg';
import { loadEnvFiles } from '../../../src/core/live/loadEnvFiles';
import { rotateLive } from '../../../src/core/live/rotateLive';
import { applyRotation } from '../../../src/core/rotation/apply';
import { planRotation } from '../../../src/core/rotation/plan';
import { cli } from '../../helpers/cli';
import { postgresBinDir, postgresLog, removeDir, requireServer, startPostgres, type PostgresServer } from '../../helpers/liveServers';
import { startTcpProxy } from '../../helpers/tcpProxy';

/*
 * `rekey rotate KEY --live` against a real PostgreSQL (Debian package, scram-sha-256, every
 * statement logged so the log can be searched for the plaintext).
 */

describe('rekey rotate --live (real PostgreSQL)', function () {
  this.timeout(90_000);
  let pg: PostgresServer | undefined;
  let dir: string;
  let n = 0;

  before(async function () {
    requireServer(this, 'PostgreSQL (postgresql package)', postgresBinDir() !== undefined);
    pg = await startPostgres();
    dir = mkdtempSync(path.join(os.tmpdir(), 'rekey-rotlive-'));
  });
  after(async () => {
    await pg?.stop();
    if (pg) removeDir(pg.dir);
    if (dir) removeDir(dir);
  });

  async function superQuery(sql: string): Promise<Array<Record<string, unknown>>> {
    const c = new Client({ host: '127.0.0.1', port: pg?.port, user: 'postgres', password: pg?.superPassword, database: 'postgres' });
    await c.connect();
    try {
      return (await c.query(sql)).rows as Array<Record<string, unknown>>;
    } finally {
      await c.end();
    }
  }

  async function canLogin(user: string, password: string, port = pg?.port): Promise<boolean> {
    const c = new Client({ host: '127.0.0.1', port, user, password, database: 'postgres', connectionTimeoutMillis: 3000 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  async function role(password: string): Promise<string> {
    const name = `app_${process.pid}_${++n}`;
    await superQuery(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
    return name;
  }

  function workspace(files: Record<string, string>): string {
    const d = mkdtempSync(path.join(dir, 'ws-'));
    for (const [f, t] of Object.entries(files)) writeFileSync(path.join(d, f), t);
    return d;
  }

  const COMPOSE = 'services:\n  db:\n    image: postgres:16\n  api:\n    image: example/api\n    env_file: .env\n    depends_on: [db]\n';

  it('changes the role password with a SCRAM verifier, checks a new login, then rewrites the key and the linked URL', async () => {
    const old = 'OldCanary9a8b7c6d5e4f';
    const user = await role(old);
    const env = `POSTGRES_USER=${user}\nPOSTGRES_PASSWORD=${old}\nDATABASE_URL=postgres://${user}:${old}@127.0.0.1:${pg?.port}/postgres?sslmode=disable\n`;
    const ws = workspace({ '.env': env, 'docker-compose.yml': COMPOSE });
    const r = await cli(['rotate', 'POSTGRES_PASSWORD', '--live'], ws, { env: { REKEY_STATE_DIR: path.join(ws, '.state') } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const after = dotenv.parse(readFileSync(path.join(ws, '.env'), 'utf8'));
    const fresh = after.POSTGRES_PASSWORD as string;
    assert.notEqual(fresh, old);
    assert.equal(new URL(after.DATABASE_URL as string).password, encodeURIComponent(fresh));
    assert.equal(await canLogin(user, fresh), true, 'the new password logs in');
    assert.equal(await canLogin(user, old), false, 'the old password no longer does');
    const stored = await superQuery(`SELECT rolpassword FROM pg_authid WHERE rolname = '${user}'`);
    assert.match(String(stored[0]?.rolpassword), /^SCRAM-SHA-256\$4096:/);
    // Neither value in rekey's output, nor the new plaintext in the server's statement log.
    for (const v of [old, fresh]) assert.ok(!(r.stdout + r.stderr).includes(v), 'a value leaked into the output');
    assert.ok(!postgresLog(pg as PostgresServer).includes(fresh), 'the plaintext reached the server log');
    assert.match(postgresLog(pg as PostgresServer), /ALTER ROLE .* PASSWORD 'SCRAM-SHA-256\$/);
    // Which steps ran live and which remain.
    assert.match(r.stdout, /done +change: password of .* changed/);
    assert.match(r.stdout, /done +verify-new/);
    assert.match(r.stdout, /Remaining \(rekey does not do these\):[\s\S]*Restart api/);
  });

  it('with a wrong current password nothing changes anywhere', async () => {
    const real = 'RealCanary1f2e3d4c5b6a';
    const user = await role(real);
    const env = `DATABASE_URL=postgres://${user}:WrongCanary00001111@127.0.0.1:${pg?.port}/postgres?sslmode=disable\n`;
    const ws = workspace({ '.env': env });
    const r = await cli(['rotate', 'DATABASE_URL', '--live'], ws, { env: { REKEY_STATE_DIR: path.join(ws, '.state') } });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /step connect failed: .*auth/i);
    assert.equal(readFileSync(path.join(ws, '.env'), 'utf8'), env);
    assert.deepEqual(readdirSync(ws).filter((f) => f.includes('before-secret-rotation')), []);
    assert.equal(await canLogin(user, real), true);
    assert.ok(!(r.stdout + r.stderr).includes('WrongCanary00001111'));
  });

  it('puts the old password back when the server goes away between the change and the check', async () => {
    const old = 'KeepCanary2b3c4d5e6f7a';
    const user = await role(old);
    const proxy = await startTcpProxy(pg?.port as number);
    try {
      const env = `DATABASE_URL=postgres://${user}:${old}@127.0.0.1:${proxy.port}/postgres?sslmode=disable\n`;
      const ws = workspace({ '.env': env });
      const file = path.join(ws, '.env');
      const plan = await planRotation({ workspaceRoot: ws, file, key: 'DATABASE_URL', options: { skipConsumers: true } });
      const { files } = await loadEnvFiles(ws, [file]);
      let applied = false;
      const result = await rotateLive({
        plan, files, timeoutMs: 1500, restoreWindowMs: 15_000,
        apply: async (p) => {
          applied = true;
          return applyRotation(p);
        },
        afterChange: () => {
          proxy.cut();
          setTimeout(() => proxy.restore(), 2500);
          return Promise.resolve();
        },
      });
      assert.equal(result.ok, false);
      assert.equal(result.failedStep, 'verify-new');
      assert.equal(result.restored, true, JSON.stringify(result.steps));
      assert.equal(applied, false);
      assert.equal(readFileSync(file, 'utf8'), env);
      assert.equal(await canLogin(user, old), true, 'the old password works again');
      assert.equal(await canLogin(user, plan.newValue as string), false);
      assert.ok(!JSON.stringify(result).includes(old));
    } finally {
      await proxy.close();
    }
  });

  it('rolls the server back when writing .env fails', async () => {
    const old = 'FileCanary3c4d5e6f7a8b';
    const user = await role(old);
    const env = `DATABASE_URL=postgres://${user}:${old}@127.0.0.1:${pg?.port}/postgres?sslmode=disable\n`;
    const ws = workspace({ '.env': env });
    const file = path.join(ws, '.env');
    const plan = await planRotation({ workspaceRoot: ws, file, key: 'DATABASE_URL', options: { skipConsumers: true } });
    const { files } = await loadEnvFiles(ws, [file]);
    const result = await rotateLive({
      plan, files,
      apply: (p) => applyRotation(p, { writeFile: () => Promise.reject(new Error('disk full')) }),
    });
    assert.equal(result.failedStep, 'write-env');
    assert.equal(result.restored, true);
    assert.equal(readFileSync(file, 'utf8'), env);
    assert.equal(await canLogin(user, old), true);
  });

  it('dual-phase: rotates the inactive role, switches the URL to it, keeps the active one valid', async () => {
    const blueOld = 'BlueCanary4d5e6f7a8b9c';
    const blue = await role(blueOld);
    const green = await role('GreenCanary5e6f7a8b9c0d');
    // The active role changes the other's password: it needs CREATEROLE and, since PostgreSQL 16, ADMIN on it.
    await superQuery(`ALTER ROLE ${blue} CREATEROLE`);
    await superQuery(`GRANT ${green} TO ${blue} WITH ADMIN OPTION`).catch(() => superQuery(`GRANT ${green} TO ${blue} WITH ADMIN OPTION`));
    const env = `DATABASE_URL=postgres://${blue}:${blueOld}@127.0.0.1:${pg?.port}/postgres?sslmode=disable\n`;
    const ws = workspace({ '.env': env, 'docker-compose.yml': COMPOSE });
    const r = await cli(['rotate', 'DATABASE_URL', '--live', '--dual-phase', `${blue},${green}`], ws, { env: { REKEY_STATE_DIR: path.join(ws, '.state') } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const url = new URL(dotenv.parse(readFileSync(path.join(ws, '.env'), 'utf8')).DATABASE_URL as string);
    assert.equal(url.username, green);
    const greenNew = decodeURIComponent(url.password);
    assert.equal(await canLogin(green, greenNew), true);
    assert.equal(await canLogin(blue, blueOld), true, 'the previous role stays valid until retired');
    assert.match(r.stdout, new RegExp(`Keep ${blue} valid until`));
    assert.ok(!(r.stdout + r.stderr).includes(greenNew) && !(r.stdout + r.stderr).includes(blueOld));
  });

  it('uses an admin URL read from standard input', async () => {
    const old = 'AdminCanary6f7a8b9c0d1e';
    const user = await role(old);
    const env = `POSTGRES_HOST=127.0.0.1\nPOSTGRES_PORT=${pg?.port}\nPOSTGRES_USER=${user}\nPOSTGRES_DB=postgres\nPOSTGRES_PASSWORD=WrongCanary00002222\n`;
    const ws = workspace({ '.env': env });
    const adminUrl = `postgres://postgres:${pg?.superPassword}@127.0.0.1:${pg?.port}/postgres?sslmode=disable`;
    const r = await cli(['rotate', 'POSTGRES_PASSWORD', '--live', '--admin-url', '-'], ws, { stdin: adminUrl + '\n', env: { REKEY_STATE_DIR: path.join(ws, '.state') } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const fresh = dotenv.parse(readFileSync(path.join(ws, '.env'), 'utf8')).POSTGRES_PASSWORD as string;
    assert.equal(await canLogin(user, fresh), true);
    assert.ok(!(r.stdout + r.stderr).includes(pg?.superPassword as string));
    assert.ok(existsSync(path.join(ws, '.env.before-secret-rotation')));
  });
});
