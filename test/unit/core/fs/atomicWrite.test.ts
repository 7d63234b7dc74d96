import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AtomicWriteError, backupFile, CHANGED_CODE, writeFileAtomic } from '../../../../src/core/fs/atomicWrite';
import { REPO_ROOT } from '../../../helpers/shared';

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'rekey-atomic-'));
}

const posix = process.platform !== 'win32';

describe('writeFileAtomic', () => {
  it('replaces the content and keeps the original mode', async () => {
    const dir = tmp();
    const file = path.join(dir, '.env');
    writeFileSync(file, 'A=1\n');
    if (posix) chmodSync(file, 0o640);
    await writeFileAtomic(file, 'A=2\n');
    assert.equal(readFileSync(file, 'utf8'), 'A=2\n');
    if (posix) assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir), ['.env'], 'no temporary file left');
  });

  it('creates new files private (0600) unless told otherwise', async function () {
    if (!posix) this.skip();
    const dir = tmp();
    await writeFileAtomic(path.join(dir, 'new'), 'x');
    assert.equal(statSync(path.join(dir, 'new')).mode & 0o777, 0o600);
    await writeFileAtomic(path.join(dir, 'given'), 'x', { mode: 0o644 });
    assert.equal(statSync(path.join(dir, 'given')).mode & 0o777, 0o644);
  });

  it('leaves the original intact when the write fails just before the rename', async () => {
    const dir = tmp();
    const file = path.join(dir, '.env');
    writeFileSync(file, 'ORIGINAL=1\n');
    let tempSeen = '';
    await assert.rejects(
      writeFileAtomic(file, 'NEW=2\n', {
        beforeRename: (temp) => {
          tempSeen = temp;
          // The new content is complete and flushed in the temporary file at this point.
          assert.equal(readFileSync(temp, 'utf8'), 'NEW=2\n');
          assert.equal(path.dirname(temp), dir, 'temporary file in the same folder (same file system)');
          throw new Error('simulated crash');
        },
      }),
      (e: unknown) => e instanceof AtomicWriteError && /left unchanged/.test(e.message),
    );
    assert.ok(tempSeen);
    assert.equal(readFileSync(file, 'utf8'), 'ORIGINAL=1\n');
    assert.deepEqual(readdirSync(dir), ['.env'], 'temporary file cleaned up');
  });

  it('leaves the original intact when the process is killed in the middle of the write', function () {
    if (!posix) this.skip();
    const dir = tmp();
    const file = path.join(dir, '.env');
    writeFileSync(file, 'ORIGINAL=1\n');
    chmodSync(file, 0o600);
    // A real process dies (SIGKILL: no cleanup, no finally) between the flushed write and the rename.
    const script = `
      const { writeFileAtomic } = require(${JSON.stringify(path.join(REPO_ROOT, 'src/core/fs/atomicWrite.ts'))});
      writeFileAtomic(${JSON.stringify(file)}, 'NEW='.padEnd(200000, 'x') + '\\n', {
        beforeRename: () => { process.kill(process.pid, 'SIGKILL'); return new Promise(() => {}); },
      });
    `;
    const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.signal, 'SIGKILL', r.stderr);
    assert.equal(readFileSync(file, 'utf8'), 'ORIGINAL=1\n');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    // The orphaned temporary file is private and clearly named, never the target.
    const leftovers = readdirSync(dir).filter((n) => n !== '.env');
    assert.equal(leftovers.length, 1);
    assert.match(leftovers[0] as string, /^\.env\.rekey-tmp-\d+-[0-9a-f]+$/);
    assert.equal(statSync(path.join(dir, leftovers[0] as string)).mode & 0o777, 0o600);
  });

  it('writes through a symbolic link to its target', async function () {
    if (!posix) this.skip();
    const dir = tmp();
    writeFileSync(path.join(dir, 'real.env'), 'A=1\n');
    symlinkSync('real.env', path.join(dir, '.env'));
    await writeFileAtomic(path.join(dir, '.env'), 'A=2\n');
    assert.ok(lstatSync(path.join(dir, '.env')).isSymbolicLink());
    assert.equal(readFileSync(path.join(dir, 'real.env'), 'utf8'), 'A=2\n');
  });

  it('fails with AtomicWriteError, not a crash, for a folder or a missing folder', async () => {
    const dir = tmp();
    await assert.rejects(writeFileAtomic(dir, 'x'), AtomicWriteError);
    await assert.rejects(writeFileAtomic(path.join(dir, 'no', 'such', 'file'), 'x'), AtomicWriteError);
  });
});

describe('backupFile', () => {
  it('copies with mode 0600 and never overwrites an older backup', async () => {
    const dir = tmp();
    const file = path.join(dir, '.env');
    writeFileSync(file, 'A=1\n');
    if (posix) chmodSync(file, 0o644);
    const first = await backupFile(file, `${file}.before-restore`);
    assert.equal(first, `${file}.before-restore`);
    writeFileSync(file, 'A=2\n');
    const second = await backupFile(file, `${file}.before-restore`);
    assert.equal(second, `${file}.before-restore-2`);
    assert.equal(readFileSync(first, 'utf8'), 'A=1\n');
    assert.equal(readFileSync(second, 'utf8'), 'A=2\n');
    if (posix) {
      assert.equal(statSync(first).mode & 0o777, 0o600);
      assert.equal(statSync(file).mode & 0o777, 0o644, 'the original is not touched');
    }
    const third = await backupFile(file, `${file}.before-restore`, { overwrite: true });
    assert.equal(third, `${file}.before-restore`);
    assert.equal(readFileSync(third, 'utf8'), 'A=2\n');
  });

  it('reports a missing source as AtomicWriteError', async () => {
    await assert.rejects(backupFile(path.join(tmp(), 'missing'), path.join(tmp(), 'b')), AtomicWriteError);
  });
});

describe('writeFileAtomic with expected content', () => {
  it('refuses to replace a file changed since it was read, keeping that version', async () => {
    const dir = tmp();
    const file = path.join(dir, '.env');
    writeFileSync(file, 'A=1\n');
    await assert.rejects(
      writeFileAtomic(file, 'A=2\n', { expected: 'A=1\n', beforeRename: () => writeFileSync(file, 'A=1\nEDIT=kept\n') }),
      (e: unknown) => e instanceof AtomicWriteError && e.code === CHANGED_CODE && /version is kept/.test(e.message),
    );
    assert.equal(readFileSync(file, 'utf8'), 'A=1\nEDIT=kept\n');
    assert.deepEqual(readdirSync(dir), ['.env'], 'no temporary or lock file left');
  });

  it('writes when the file is as read, and null means "must not exist"', async () => {
    const dir = tmp();
    const file = path.join(dir, '.env');
    await writeFileAtomic(file, 'A=1\n', { expected: null });
    await assert.rejects(writeFileAtomic(file, 'A=9\n', { expected: null }), (e: unknown) => e instanceof AtomicWriteError && e.code === CHANGED_CODE);
    await writeFileAtomic(file, 'A=2\n', { expected: 'A=1\n' });
    assert.equal(readFileSync(file, 'utf8'), 'A=2\n');
  });

  it('names temporary files so that a `.env*` ignore line covers them, and the next write removes those of killed processes', async function () {
    if (!posix) this.skip();
    const dir = tmp();
    const file = path.join(dir, 'config.env');
    writeFileSync(file, 'A=1\n');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(path.join(dir, `.env.rekey-tmp-${dead}-0badf00d`), 'SECRET=left by a killed process\n');
    writeFileSync(path.join(dir, `.env.rekey-lock-config.env`), JSON.stringify({ pid: Number(dead), host: os.hostname(), at: Date.now() }));
    writeFileSync(path.join(dir, `.env.rekey-tmp-${process.pid}-0badf00d`), 'a write of this process in progress\n');
    await writeFileAtomic(file, 'A=2\n');
    assert.deepEqual(readdirSync(dir).sort(), [`.env.rekey-tmp-${process.pid}-0badf00d`, 'config.env']);
  });

  it('removes a leftover whose pid now belongs to a newer process (pids are reused)', async function () {
    if (process.platform !== 'linux') this.skip();
    const dir = tmp();
    const { spawn } = await import('node:child_process');
    const { utimesSync } = await import('node:fs');
    const newer = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      const leftover = path.join(dir, `.env.rekey-tmp-${newer.pid}-0badf00d`);
      writeFileSync(leftover, 'SECRET=left by a killed process\n');
      const old = new Date(Date.now() - 10 * 60_000);
      utimesSync(leftover, old, old);
      await writeFileAtomic(path.join(dir, '.env'), 'A=1\n');
      assert.deepEqual(readdirSync(dir), ['.env']);
    } finally {
      newer.kill();
    }
  });

  it('removes its temporary file when the process gets SIGTERM in the middle of a write', function () {
    if (!posix) this.skip();
    const dir = tmp();
    const file = path.join(dir, '.env');
    writeFileSync(file, 'ORIGINAL=1\n');
    const script = `
      const { writeFileAtomic } = require(${JSON.stringify(path.join(REPO_ROOT, 'src/core/fs/atomicWrite.ts'))});
      // A write in progress keeps the process busy (here: a timer) when the signal arrives.
      writeFileAtomic(${JSON.stringify(file)}, 'NEW=2\\n', { beforeRename: () => { setInterval(() => {}, 1000); process.kill(process.pid, 'SIGTERM'); return new Promise(() => {}); } });
    `;
    const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.signal, 'SIGTERM', r.stderr);
    assert.equal(readFileSync(file, 'utf8'), 'ORIGINAL=1\n');
    assert.deepEqual(readdirSync(dir), ['.env']);
  });
});
