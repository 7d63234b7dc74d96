import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheFileFor, checksum, compileBundle, runBundle, type CodeCacheOptions } from '../../../src/cli/codeCache';

/*
 * The code cache is judged by what the bundle does (its exports), by the files on disk and by
 * V8's own verdict (a run after a save must be a hit): never by re-reading the cache with the
 * code under test.
 */

const roots: string[] = [];
function temp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'rekey-codecache-'));
  roots.push(d);
  return d;
}

/** A bundle big enough for V8 to cache real functions; `exports.answer` says which one ran. */
function bundleText(answer: string, pad = 200): string {
  const fns = Array.from({ length: pad }, (_, i) => `function f${i}(x) { return x * ${i} + ${JSON.stringify(answer)}.length; }`).join('\n');
  return `'use strict';\n${fns}\nexports.answer = ${JSON.stringify(answer)};\nexports.sum = f1(2) + f${pad - 1}(1);\n`;
}

function makeBundle(dir: string, text: string, name = 'thing.bundle.js'): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Runs the compiled bundle as a module and returns its exports. */
function exportsOf(compiled: ReturnType<typeof compileBundle>, file: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  compiled.run.call(module.exports, module.exports, require, module as unknown as NodeJS.Module, file, path.dirname(file));
  return module.exports;
}

function cacheFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe('cli/codeCache (V8 code cache of the bundles)', function () {
  this.timeout(60_000);
  after(() => {
    for (const d of roots) rmSync(d, { recursive: true, force: true });
  });

  it('misses, saves after the run, then compiles from the cache', () => {
    const dir = temp();
    const file = makeBundle(dir, bundleText('one'));
    const options: CodeCacheOptions = { bundleHash: 'h1', cacheDir: path.join(dir, 'cache') };
    const first = compileBundle(file, options);
    assert.equal(first.status, 'miss');
    assert.deepEqual(exportsOf(first, file), { answer: 'one', sum: 5 + 202 });
    assert.equal(first.save(), true);
    assert.equal(first.save(), false, 'written once');
    assert.deepEqual(cacheFiles(options.cacheDir as string), [path.basename(first.cacheFile as string)]);
    const second = compileBundle(file, options);
    assert.equal(second.status, 'hit');
    assert.deepEqual(exportsOf(second, file), { answer: 'one', sum: 207 });
    assert.equal(second.save(), false, 'a hit is not rewritten');
  });

  it('keys the file on the build hash: another build never reads this one', () => {
    const dir = temp();
    const file = makeBundle(dir, bundleText('one'));
    const cacheDir = path.join(dir, 'cache');
    assert.ok(compileBundle(file, { bundleHash: 'h1', cacheDir }).save());
    assert.notEqual(cacheFileFor(file, { bundleHash: 'h1', cacheDir }), cacheFileFor(file, { bundleHash: 'h2', cacheDir }));
    assert.equal(compileBundle(file, { bundleHash: 'h2', cacheDir }).status, 'miss');
  });

  it('runs the new source when the cache belongs to another one (V8 rejects it), then replaces it', () => {
    const dir = temp();
    const options: CodeCacheOptions = { bundleHash: 'same', cacheDir: path.join(dir, 'cache') };
    const file = makeBundle(dir, bundleText('old'));
    assert.ok(compileBundle(file, options).save());
    makeBundle(dir, bundleText('newer', 150));
    const stale = compileBundle(file, options);
    assert.equal(stale.status, 'rejected');
    assert.equal(exportsOf(stale, file).answer, 'newer');
    assert.ok(stale.save());
    assert.equal(compileBundle(file, options).status, 'hit');
  });

  for (const [what, damage] of [
    ['a flipped payload byte', (b: Buffer) => Buffer.from(b).fill(0x5a, b.length >> 1, (b.length >> 1) + 8)],
    ['a truncated file', (b: Buffer) => b.subarray(0, b.length >> 1)],
    ['an empty file', () => Buffer.alloc(0)],
    ['a file of something else', () => Buffer.from('not a cache at all, but long enough to hold a header\n'.repeat(20))],
  ] as const) {
    it(`compiles without the cache from ${what}, and rewrites it`, () => {
      const dir = temp();
      const options: CodeCacheOptions = { bundleHash: 'h', cacheDir: path.join(dir, 'cache') };
      const file = makeBundle(dir, bundleText('one'));
      const first = compileBundle(file, options);
      assert.ok(first.save());
      const cacheFile = first.cacheFile as string;
      writeFileSync(cacheFile, damage(readFileSync(cacheFile)));
      const damaged = compileBundle(file, options);
      assert.equal(damaged.status, 'corrupt');
      assert.equal(exportsOf(damaged, file).answer, 'one');
      assert.ok(damaged.save());
      assert.equal(compileBundle(file, options).status, 'hit');
    });
  }

  it('checksum: every flipped bit, lost or added byte changes it; an unaligned view sums as its copy', () => {
    const base = Buffer.from(Array.from({ length: 67 }, (_, i) => (i * 37 + 11) & 0xff));
    const seen = new Set<string>([checksum(base).toString('hex')]);
    for (let i = 0; i < base.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const b = Buffer.from(base);
        b[i] = (b[i] as number) ^ (1 << bit);
        seen.add(checksum(b).toString('hex'));
      }
    }
    assert.equal(seen.size, 1 + base.length * 8);
    for (let n = 0; n < base.length; n++) assert.notEqual(checksum(base.subarray(0, n)).toString('hex'), checksum(base).toString('hex'));
    assert.notEqual(checksum(Buffer.concat([base, Buffer.alloc(1)])).toString('hex'), checksum(base).toString('hex'));
    assert.notEqual(checksum(Buffer.alloc(8)).toString('hex'), checksum(Buffer.alloc(12)).toString('hex'));
    const backing = Buffer.alloc(base.length + 3);
    for (const offset of [1, 2, 3]) {
      base.copy(backing, offset);
      assert.equal(checksum(backing.subarray(offset, offset + base.length)).toString('hex'), checksum(base).toString('hex'));
    }
    assert.equal(checksum(base).length, 8);
  });

  it('runs without a cache when the folder cannot be created or written', () => {
    const dir = temp();
    const file = makeBundle(dir, bundleText('one'));
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    // A regular file where a folder should be: ENOTDIR even for root, who ignores permissions.
    const options: CodeCacheOptions = { bundleHash: 'h', cacheDir: path.join(blocker, 'cache') };
    const compiled = compileBundle(file, options);
    assert.equal(compiled.status, 'miss');
    assert.equal(exportsOf(compiled, file).answer, 'one');
    assert.equal(compiled.save(), false);
  });

  it('is off without a folder or a build hash, and strips a shebang line', () => {
    const dir = temp();
    const file = makeBundle(dir, '#!/usr/bin/env node\n' + bundleText('bang'));
    const none = compileBundle(file, { bundleHash: 'h', cacheDir: undefined });
    assert.equal(none.status, 'off');
    assert.equal(exportsOf(none, file).answer, 'bang');
    assert.equal(none.save(), false);
    const dev = compileBundle(file, { bundleHash: '', cacheDir: path.join(dir, 'cache') });
    assert.equal(dev.status, 'off');
    assert.equal(dev.save(), false);
    assert.deepEqual(cacheFiles(path.join(dir, 'cache')), []);
  });

  it('keeps only the newest few cache files of a bundle, and leaves other bundles alone', () => {
    const dir = temp();
    const cacheDir = path.join(dir, 'cache');
    const file = makeBundle(dir, bundleText('one'));
    const other = makeBundle(dir, bundleText('two'), 'other.bundle.js');
    assert.ok(compileBundle(other, { bundleHash: 'o', cacheDir }).save());
    let last = '';
    for (let i = 0; i < 7; i++) {
      const c = compileBundle(file, { bundleHash: `h${i}`, cacheDir, keep: 3 });
      assert.ok(c.save());
      last = path.basename(c.cacheFile as string);
    }
    const files = cacheFiles(cacheDir);
    assert.equal(files.filter((f) => f.startsWith('thing.bundle-')).length, 3, files.join(' '));
    assert.ok(files.includes(last));
    assert.equal(files.filter((f) => f.startsWith('other.bundle-')).length, 1);
    assert.equal(files.filter((f) => f.endsWith('.tmp')).length, 0);
  });

  it('survives concurrent writers: every process runs, the file left is whole', async () => {
    const dir = temp();
    const cacheDir = path.join(dir, 'cache');
    const file = makeBundle(dir, bundleText('many', 2000));
    // Run by child processes: the cache file is keyed on node's flags, and theirs differ from mocha's.
    const script = `const c = require(${JSON.stringify(require.resolve('../../../src/cli/codeCache'))});
const r = c.compileBundle(${JSON.stringify(file)}, { bundleHash: 'h', cacheDir: ${JSON.stringify(cacheDir)} });
const m = { exports: {} }; r.run.call(m.exports, m.exports, require, m, '', '');
r.save(); process.stdout.write(r.status + ' ' + m.exports.answer);`;
    const child = () =>
      new Promise<string>((resolve, reject) => {
        const p = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('error', reject);
        p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`writer exited ${code}`))));
      });
    const writers = await Promise.all(Array.from({ length: 6 }, child));
    for (const w of writers) assert.match(w, /^(miss|hit) many$/);
    const files = cacheFiles(cacheDir);
    assert.equal(files.length, 1, files.join(' '));
    assert.equal(await child(), 'hit many');
  });

  it('runBundle runs the bundle as the loader module and writes the cache at exit', () => {
    const dir = temp();
    const cacheDir = path.join(dir, 'cache');
    const file = makeBundle(dir, "exports.self = __filename; exports.main = require.main === module;\n");
    const host = { exports: {} as Record<string, unknown> } as unknown as NodeJS.Module;
    const before = process.listenerCount('exit');
    runBundle(file, { bundleHash: 'h', cacheDir }, { module: host, require, filename: '/x/loader.js', dirname: '/x' });
    assert.deepEqual(host.exports, { self: '/x/loader.js', main: false });
    assert.equal(process.listenerCount('exit'), before + 1);
    const listener = process.listeners('exit').at(-1) as (code: number) => void;
    process.removeListener('exit', listener);
    listener(0);
    assert.equal(compileBundle(file, { bundleHash: 'h', cacheDir }).status, 'hit');
  });
});
