import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createClient } from '@redis/client';
import * as dotenv from 'dotenv';
import { cli } from '../../helpers/cli';
import { redisServerBin, removeDir, requireServer, startRedis, type RedisServer } from '../../helpers/liveServers';

/* `rekey rotate KEY --live` against a real redis-server (Debian package) started from a temporary config file. */

describe('rekey rotate --live (real Redis)', function () {
  this.timeout(60_000);
  const servers: RedisServer[] = [];
  let dir: string;

  before(function () {
    requireServer(this, 'redis-server', redisServerBin() !== undefined);
    dir = mkdtempSync(path.join(os.tmpdir(), 'rekey-rotredis-'));
  });
  after(async () => {
    for (const s of servers) {
      await s.stop();
      removeDir(s.dir);
    }
    if (dir) removeDir(dir);
  });

  async function server(lines: string[]): Promise<RedisServer> {
    const s = await startRedis(lines);
    servers.push(s);
    return s;
  }

  async function canAuth(port: number, password: string, username?: string): Promise<boolean> {
    const c = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false }, password, ...(username ? { username } : {}) });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.sendCommand(['PING']);
      return true;
    } catch {
      return false;
    } finally {
      c.destroy();
    }
  }

  function workspace(env: string): string {
    const d = mkdtempSync(path.join(dir, 'ws-'));
    writeFileSync(path.join(d, '.env'), env);
    return d;
  }

  it('requirepass: CONFIG SET, new connection checked, CONFIG REWRITE, then the key and the URL', async () => {
    const old = 'RedisOldCanary8c9d0e1f';
    const s = await server([`requirepass ${old}`]);
    const ws = workspace(`REDIS_PASSWORD=${old}\nREDIS_URL=redis://:${old}@127.0.0.1:${s.port}/0\n`);
    const r = await cli(['rotate', 'REDIS_PASSWORD', '--live'], ws, { env: { REKEY_STATE_DIR: path.join(ws, '.state') } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const env = dotenv.parse(readFileSync(path.join(ws, '.env'), 'utf8'));
    const fresh = env.REDIS_PASSWORD as string;
    assert.notEqual(fresh, old);
    assert.equal(decodeURIComponent(new URL(env.REDIS_URL as string).password), fresh);
    assert.equal(await canAuth(s.port, fresh), true);
    assert.equal(await canAuth(s.port, old), false);
    assert.match(r.stdout, /CONFIG SET requirepass; saved with CONFIG REWRITE/);
    // CONFIG REWRITE persisted it: the server's own config file now holds the new password.
    assert.ok(readFileSync(s.configFile, 'utf8').includes(fresh));
    for (const v of [old, fresh]) assert.ok(!(r.stdout + r.stderr).includes(v));
  });

  it('ACL user: ACL SETUSER resetpass, the default user untouched', async () => {
    const old = 'AclOldCanary9d0e1f2a';
    const s = await server(['user default on nopass ~* &* +@all', `user worker on >${old} ~* &* +@all`]);
    const ws = workspace(`REDIS_URL=redis://worker:${old}@127.0.0.1:${s.port}\n`);
    const r = await cli(['rotate', 'REDIS_URL', '--live'], ws, { env: { REKEY_STATE_DIR: path.join(ws, '.state') } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const url = new URL(dotenv.parse(readFileSync(path.join(ws, '.env'), 'utf8')).REDIS_URL as string);
    assert.equal(url.username, 'worker');
    const fresh = decodeURIComponent(url.password);
    assert.equal(await canAuth(s.port, fresh, 'worker'), true);
    assert.equal(await canAuth(s.port, old, 'worker'), false);
    assert.match(r.stdout, /ACL SETUSER worker/);
    assert.ok(!(r.stdout + r.stderr).includes(old) && !(r.stdout + r.stderr).includes(fresh));
  });

  it('a wrong current password changes nothing; verify reports it', async () => {
    const real = 'RedisRealCanary0e1f2a3b';
    const s = await server([`requirepass ${real}`]);
    const env = `REDIS_URL=redis://:WrongCanary00003333@127.0.0.1:${s.port}\n`;
    const ws = workspace(env);
    const r = await cli(['rotate', 'REDIS_URL', '--live'], ws, { env: { REKEY_STATE_DIR: path.join(ws, '.state') } });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /step connect failed/);
    assert.equal(readFileSync(path.join(ws, '.env'), 'utf8'), env);
    assert.equal(await canAuth(s.port, real), true);
    const v = await cli(['verify'], ws);
    assert.equal(v.code, 1);
    assert.match(v.stdout, /^auth failed +REDIS_URL/m);
    assert.ok(!(r.stdout + r.stderr + v.stdout + v.stderr).includes('WrongCanary00003333'));
  });
});
