import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createClient } from '@redis/client';
import * as dotenv from 'dotenv';
import { cli } from '../../helpers/cli';
import { git } from '../../helpers/git';
import { redisServerBin, removeDir, requireServer, startRedis, type RedisServer } from '../../helpers/liveServers';

/*
 * The rotation lifecycle end to end on the command line, in a real git repository and against a
 * real redis-server: rotate (applied) → verify (verified) → retire (retired), and rotate →
 * restore. A workspace whose scan was clean before ends clean (`--fail-on warning` exits 0), and
 * `rekey ages` shows each stage. The stages are what the ledger must say after each step, read
 * through the CLI's own output; the password never appears in any output.
 */

const OLD = 'RedisLifecycleCanary0a1b2c3d';

interface AgeRow { key: string; source: string; status: string; rotation: { stage: string; rotatedOn: string; verifiedOn?: string; retiredOn?: string } | null }

describe('rotation lifecycle (CLI, real git and Redis)', function () {
  this.timeout(90_000);
  let redis: RedisServer | undefined;
  let dir: string;

  before(function () {
    requireServer(this, 'redis-server', redisServerBin() !== undefined);
    dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rekey-lifecycle-')));
  });
  // Each test rotates the server's password: each gets its own server.
  beforeEach(async () => {
    redis = await startRedis([`requirepass ${OLD}`]);
  });
  afterEach(async () => {
    await redis?.stop();
    if (redis) removeDir(redis.dir);
    redis = undefined;
  });
  after(() => {
    if (dir) removeDir(dir);
  });

  /** A clean repository: `.env` git-ignored, a committed README, a private state folder. */
  function workspace(): { ws: string; env: NodeJS.ProcessEnv } {
    const ws = mkdtempSync(path.join(dir, 'ws-'));
    git(ws, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(ws, '.gitignore'), '.env\n');
    writeFileSync(path.join(ws, 'README.md'), '# app\n');
    git(ws, 'add', '.gitignore', 'README.md');
    git(ws, 'commit', '-q', '-m', 'init');
    writeFileSync(path.join(ws, '.env'), `REDIS_PASSWORD=${OLD}\nREDIS_URL=redis://:${OLD}@127.0.0.1:${redis?.port}/0\n`, { mode: 0o600 });
    return { ws, env: { REKEY_STATE_DIR: path.join(dir, `${path.basename(ws)}-state`) } };
  }

  async function run(args: string[], ws: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; stdout: string }> {
    const r = await cli(args, ws, { env });
    const out = r.stdout + r.stderr;
    assert.ok(!out.includes(OLD), `the old password leaked from rekey ${args.join(' ')}:\n${out}`);
    const now = dotenv.parse(readFileSync(path.join(ws, '.env'))).REDIS_PASSWORD;
    if (now && now !== OLD) assert.ok(!out.includes(now), `the new password leaked from rekey ${args.join(' ')}:\n${out}`);
    return { code: r.code, out, stdout: r.stdout };
  }

  async function stage(ws: string, env: NodeJS.ProcessEnv, key: string): Promise<string | null | undefined> {
    const r = await run(['ages', '--format', 'json'], ws, env);
    assert.equal(r.code, 0, r.out);
    const rows = (JSON.parse(r.stdout) as { secrets: AgeRow[] }).secrets;
    return rows.find((x) => x.key === key)?.rotation?.stage ?? null;
  }

  async function canAuth(password: string): Promise<boolean> {
    const c = createClient({ socket: { host: '127.0.0.1', port: redis?.port ?? 0, reconnectStrategy: false }, password });
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

  async function rotateLive(ws: string, env: NodeJS.ProcessEnv): Promise<string> {
    const r = await run(['rotate', 'REDIS_PASSWORD', '--live'], ws, env);
    assert.equal(r.code, 0, r.out);
    const fresh = dotenv.parse(readFileSync(path.join(ws, '.env'))).REDIS_PASSWORD ?? '';
    assert.notEqual(fresh, OLD);
    assert.ok(await canAuth(fresh), 'the server accepts the new password');
    return fresh;
  }

  it('rotate → verify → retire: stages applied, verified, retired; the scan ends clean', async () => {
    const { ws, env } = workspace();
    const before = await run(['scan', '--fail-on', 'warning'], ws, env);
    assert.equal(before.code, 0, `the workspace is clean before:\n${before.out}`);
    assert.equal(await stage(ws, env, 'REDIS_PASSWORD'), null, 'no rotation before rotating');

    await rotateLive(ws, env);
    assert.equal(await stage(ws, env, 'REDIS_PASSWORD'), 'applied');
    const applied = await run(['scan', '--format', 'json'], ws, env);
    const item = (JSON.parse(applied.stdout) as { findings: Array<{ rule: string; message: string }> }).findings.filter((f) => f.rule === 'rotation-backup');
    assert.equal(item.length, 1, `one rekey-made backup item:\n${applied.stdout}`);
    assert.match(item[0]?.message ?? '', /^Rotation of REDIS_PASSWORD, REDIS_URL on \d{4}-\d\d-\d\d: not yet verified\./);

    const v = await run(['verify'], ws, env);
    assert.equal(v.code, 0, v.out);
    assert.match(v.stdout, /Rotation of REDIS_PASSWORD in \.env: verified/);
    assert.equal(await stage(ws, env, 'REDIS_PASSWORD'), 'verified');
    const verified = await run(['scan', '--format', 'json'], ws, env);
    assert.match(verified.stdout, /Rotation of REDIS_PASSWORD, REDIS_URL on \d{4}-\d\d-\d\d: verified/);
    const text = await run(['ages'], ws, env);
    assert.match(text.stdout.split('\n')[0] ?? '', /\bROTATION\b/);
    assert.match(text.stdout, /REDIS_PASSWORD\s.*\bverified\b/);

    const r = await run(['retire', '--all'], ws, env);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(readdirSync(ws).filter((f) => f.startsWith('.env') && f !== '.env'), [], 'the rotation backup is gone');
    assert.equal(await stage(ws, env, 'REDIS_PASSWORD'), 'retired');

    const after = await run(['scan', '--fail-on', 'warning'], ws, env);
    assert.equal(after.code, 0, `clean after rotate → verify → retire:\n${after.out}`);
    assert.doesNotMatch(git(ws, 'status', '--porcelain', '--untracked-files=all'), /\.env/, 'no .env-family file is visible to git');
  });

  it('a failed check does not verify; rotate → restore ends clean with the restored value\'s own age', async () => {
    const { ws, env } = workspace();
    await rotateLive(ws, env);
    // The server no longer accepts the new value: verify fails and the stage stays applied.
    const admin = createClient({ socket: { host: '127.0.0.1', port: redis?.port ?? 0, reconnectStrategy: false }, password: dotenv.parse(readFileSync(path.join(ws, '.env'))).REDIS_PASSWORD ?? '' });
    await admin.connect();
    await admin.sendCommand(['CONFIG', 'SET', 'requirepass', OLD]);
    admin.destroy();
    const v = await run(['verify'], ws, env);
    assert.equal(v.code, 1, v.out);
    assert.equal(await stage(ws, env, 'REDIS_PASSWORD'), 'applied');

    const backup = readdirSync(ws).find((f) => f.startsWith('.env.before-secret-rotation'));
    assert.ok(backup, `a rotation backup exists: ${readdirSync(ws).join(', ')}`);
    for (const key of ['REDIS_PASSWORD', 'REDIS_URL']) {
      const r = await run(['restore', key, '--from', backup], ws, env);
      assert.equal(r.code, 0, r.out);
    }
    const restored = dotenv.parse(readFileSync(path.join(ws, '.env')));
    assert.equal(restored.REDIS_PASSWORD, OLD);
    assert.ok(!readFileSync(path.join(ws, '.env'), 'utf8').includes('# rotated:'), 'the "# rotated:" line of the new value is gone');
    assert.equal(await stage(ws, env, 'REDIS_PASSWORD'), null, 'the restored value is not the rotated one');
    const afterRestore = await run(['scan', '--fail-on', 'warning'], ws, env);
    assert.equal(afterRestore.code, 0, `clean after rotate → restore:\n${afterRestore.out}`);

    const r = await run(['retire', '--all'], ws, env);
    assert.equal(r.code, 0, r.out);
    assert.ok(existsSync(path.join(ws, '.env')));
    const end = await run(['scan', '--fail-on', 'warning'], ws, env);
    assert.equal(end.code, 0, `clean after retiring both backups:\n${end.out}`);
  });
});
