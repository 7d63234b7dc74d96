import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LockTimeoutError, withFileLock } from '../../../../src/core/fs/fileLock';

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
});
