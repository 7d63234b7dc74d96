import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LockTimeoutError, withFileLock } from '../../../../src/core/fs/fileLock';
import { cleanupStaleTemps } from '../../../../src/core/fs/tempFiles';
import { bundleScript } from '../../../helpers/bundleScript';

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'rekey-lock-'));
}

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('withFileLock', () => {
  it('serialises holders in one process and removes the lock afterwards', async () => {
    const lock = path.join(tmp(), 'x.lock');
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((n) =>
        withFileLock(lock, async () => {
          order.push(`${n}+`);
          await new Promise((r) => setTimeout(r, 10));
          order.push(`${n}-`);
        }),
      ),
    );
    for (let i = 0; i < order.length; i += 2) assert.equal(order[i]?.[0], order[i + 1]?.[0], `no overlap: ${order.join(' ')}`);
    assert.equal(existsSync(lock), false);
  });

  it('breaks a lock left by a process that was killed', async () => {
    const lock = path.join(tmp(), 'x.lock');
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: os.hostname(), at: Date.now() }));
    assert.equal(await withFileLock(lock, () => Promise.resolve('ran'), { timeoutMs: 2000 }), 'ran');
  });

  it('breaks an empty lock (killed between create and write) once it is a few seconds old', async () => {
    const lock = path.join(tmp(), 'x.lock');
    writeFileSync(lock, '');
    const { utimesSync } = await import('node:fs');
    const old = new Date(Date.now() - 10_000);
    utimesSync(lock, old, old);
    assert.equal(await withFileLock(lock, () => Promise.resolve('ran'), { timeoutMs: 2000 }), 'ran');
  });

  it('times out with an actionable error while a live process holds it', async () => {
    const lock = path.join(tmp(), 'x.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), at: Date.now() }));
    await assert.rejects(withFileLock(lock, () => Promise.resolve('ran'), { timeoutMs: 200 }), (e: unknown) => e instanceof LockTimeoutError && /delete that file/.test(e.message));
    assert.equal(existsSync(lock), true, 'a live holder keeps its lock');
  });

  it('never lets the lock file be seen without its holder, however often it is taken', async function () {
    this.timeout(20_000);
    const dir = tmp();
    const lock = path.join(dir, '.env.rekey-lock-.env');
    // Another process takes and releases the lock in a tight loop while this one keeps reading it.
    const script = path.join(dir, 'holder.ts');
    writeFileSync(
      script,
      `import { withFileLock } from ${JSON.stringify(path.resolve(__dirname, '../../../../src/core/fs/fileLock'))};\n` +
        `(async () => { const end = Date.now() + 1500; while (Date.now() < end) await withFileLock(${JSON.stringify(lock)}, async () => undefined); })();\n`,
    );
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [bundleScript(script)], { stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    let seen = 0;
    let empty = 0;
    let running = true;
    void exited.then(() => (running = false));
    while (running) {
      let text: string | undefined;
      try {
        text = readFileSync(lock, 'utf8');
      } catch {
        // Not held at this instant.
      }
      if (text !== undefined) {
        seen++;
        if (!text.includes('"pid"')) empty++;
      }
      await new Promise((r) => setImmediate(r));
    }
    assert.ok(seen > 20, `the lock was seen held ${seen} times`);
    assert.equal(empty, 0, `the lock was seen ${empty} of ${seen} times without its holder`);
  });

  it('the next run removes what a holder killed before linking its lock left behind', async () => {
    const dir = tmp();
    const staged = path.join(dir, `.env.rekey-tmp-${deadPid()}-0badf00d`);
    writeFileSync(staged, '');
    assert.equal(await withFileLock(path.join(dir, '.env.rekey-lock-.env'), () => Promise.resolve('ran'), { timeoutMs: 2000 }), 'ran');
    await cleanupStaleTemps(dir);
    assert.deepEqual(readdirSync(dir), []);
  });
});
