import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';

/*
 * V8 code cache for the shipped bundles. `dist/cli.js` and `dist/hook.js` are small loaders that
 * compile the real bundle (`cli.bundle.js`, `hook.bundle.js`) with `vm.Script` and the bytecode
 * V8 produced on an earlier run, so a commit check does not pay for parsing and compiling the
 * checks every time. Node 22 has `module.enableCompileCache`; Node 20 does not, and this works on
 * both (and on Electron's node).
 *
 * The cache is an optimisation only: a missing, stale, corrupt or unwritable cache means the
 * bundle is compiled as usual, silently. V8 does not check its cached data's payload (a flipped
 * byte can crash the process), so every file carries a 64-bit checksum of its payload, checked
 * before V8 sees it. The checksum guards against torn and damaged files, not against an attacker
 * (the files are the user's own, 0600 in the user's state folder), so it is a plain multiply-
 * rotate loop over 32-bit words rather than SHA-256: loading `node:crypto` alone cost a commit
 * check more than all the checksumming. Files are written to a temporary name and renamed, so
 * concurrent runs never read half a file; each (bundle, runtime) pair has its own file and only the newest few are kept.
 */

/** First bytes of a cache file; the version changes if the layout does. */
const MAGIC = Buffer.from('rekeycc2');
/** Two 32-bit checksum words; with the 8-byte magic the payload starts 4-byte aligned. */
const DIGEST_BYTES = 8;
const HEADER_BYTES = MAGIC.length + DIGEST_BYTES;
/** Cache files kept per bundle name (other versions, other node versions). */
export const DEFAULT_KEEP = 4;
/** Temporary files older than this are left over from a killed writer. */
const STALE_TEMP_MS = 60_000;

/** The CommonJS wrapper a bundle is compiled in, as Node's loader would. */
export type BundleFunction = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;

export type CacheStatus =
  /** Compiled from the cache. */
  | 'hit'
  /** No cache file yet. */
  | 'miss'
  /** V8 refused the cached data (another V8 build or flags). */
  | 'rejected'
  /** The file's checksum or header did not match. */
  | 'corrupt'
  /** No cache folder or no build hash: compiled without a cache. */
  | 'off';

export interface CodeCacheOptions {
  /** Content hash of the bundle, fixed at build time; empty: no cache (development builds). */
  bundleHash: string;
  /** Folder of the cache files; `undefined`: no cache. */
  cacheDir: string | undefined;
  /** Cache files kept per bundle name (default {@link DEFAULT_KEEP}). */
  keep?: number;
}

export interface CompiledBundle {
  run: BundleFunction;
  status: CacheStatus;
  /** The cache file used or to be written. */
  cacheFile?: string;
  /** Writes the cache when it was missing or unusable (best after the run: lazily compiled functions are included). Never throws. */
  save(): boolean;
}

/** The cache file of `bundle` for this runtime: V8 version, architecture and flags. */
export function cacheFileFor(bundle: string, options: CodeCacheOptions): string | undefined {
  if (!options.cacheDir || !options.bundleHash) return undefined;
  const runtime = [options.bundleHash, process.version, process.versions.v8, process.arch, process.execArgv.join(' '), process.env.NODE_OPTIONS ?? ''].join('\0');
  const key = checksum(Buffer.from(runtime, 'utf8')).toString('hex');
  return path.join(options.cacheDir, `${bundleName(bundle)}-${key}.v8cache`);
}

function bundleName(bundle: string): string {
  return path.basename(bundle).replace(/\.js$/, '');
}

/** `bundle` compiled as a CommonJS module body, from the code cache when it holds a valid entry. */
export function compileBundle(bundle: string, options: CodeCacheOptions): CompiledBundle {
  let source = readFileSync(bundle, 'utf8');
  // A shebang is not JavaScript; keep the line count so stack traces and source maps still match.
  if (source.startsWith('#!')) source = '//' + source.slice(2);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const cacheFile = cacheFileFor(bundle, options);
  let status: CacheStatus = 'off';
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    const read = readCache(cacheFile);
    status = read.status;
    cachedData = read.data;
  }
  const script = new vm.Script(wrapped, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  if (cachedData && script.cachedDataRejected === true) status = 'rejected';
  const run = script.runInThisContext() as BundleFunction;
  let saved = false;
  return {
    run,
    status,
    ...(cacheFile ? { cacheFile } : {}),
    save: () => {
      if (!cacheFile || status === 'hit' || saved) return false;
      saved = true;
      return writeCache(cacheFile, () => script.createCachedData(), options.keep ?? DEFAULT_KEEP);
    },
  };
}

function readCache(file: string): { status: CacheStatus; data?: Buffer } {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return { status: 'miss' };
  }
  if (buf.length <= HEADER_BYTES || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return { status: 'corrupt' };
  const data = buf.subarray(HEADER_BYTES);
  const digest = checksum(data);
  if (!digest.equals(buf.subarray(MAGIC.length, HEADER_BYTES))) return { status: 'corrupt' };
  return { status: 'hit', data };
}

let tempCounter = 0;

/**
 * A 64-bit checksum of `data` (8 bytes): two murmur3-style lanes over its little-endian 32-bit
 * words, with the length mixed in, so a changed, lost or added byte anywhere changes it. Not a
 * cryptographic hash: see the top of this file.
 */
export function checksum(data: Uint8Array): Buffer {
  const words = data.length >>> 2;
  // Whole words straight from the bytes when they are aligned (a file read on its own is), else from a copy.
  const aligned = data.byteOffset % 4 === 0 ? data : Uint8Array.from(data.subarray(0, words * 4));
  const view = new Uint32Array(aligned.buffer, aligned.byteOffset, words);
  let h1 = 0x9747b28c;
  let h2 = 0x2b1d9f43;
  for (let i = 0; i < words; i++) {
    // Platform byte order: a cache file never leaves the machine that wrote it.
    const k = view[i] as number;
    let k1 = Math.imul(k, 0xcc9e2d51);
    k1 = Math.imul((k1 << 15) | (k1 >>> 17), 0x1b873593);
    h1 ^= k1;
    h1 = (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0;
    let k2 = Math.imul(k, 0x85ebca6b);
    k2 = Math.imul((k2 << 16) | (k2 >>> 16), 0xc2b2ae35);
    h2 ^= k2;
    h2 = (Math.imul((h2 << 17) | (h2 >>> 15), 5) + 0x561ccd1b) | 0;
  }
  let tail = 0;
  for (let i = words * 4; i < data.length; i++) tail = (tail << 8) | (data[i] as number);
  h1 = fmix(h1 ^ Math.imul(tail + 1, 0xcc9e2d51) ^ data.length);
  h2 = fmix(h2 ^ Math.imul(tail + 1, 0x85ebca6b) ^ data.length);
  const out = Buffer.allocUnsafe(DIGEST_BYTES);
  out.writeUInt32LE(h1 >>> 0, 0);
  out.writeUInt32LE(h2 >>> 0, 4);
  return out;
}

/** murmur3's finaliser: every input bit affects every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function writeCache(file: string, data: () => Buffer, keep: number): boolean {
  const dir = path.dirname(file);
  // Unique without a random source: another process has another pid, this one counts.
  const temp = `${file}.${process.pid}.${++tempCounter}.${process.hrtime.bigint().toString(36)}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const payload = data();
    // `wx`: never write through a file (or link) that is already there.
    writeFileSync(temp, Buffer.concat([MAGIC, checksum(payload), payload]), { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // never written
    }
    return false;
  }
  prune(dir, file, keep);
  return true;
}

/** Removes all but the newest `keep` cache files of the bundle `kept` belongs to, and abandoned temporary files. */
function prune(dir: string, kept: string, keep: number): void {
  const base = path.basename(kept);
  const prefix = base.slice(0, base.lastIndexOf('-') + 1);
  try {
    const now = Date.now();
    const mine: Array<{ name: string; mtime: number }> = [];
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix) || name === base) continue;
      const full = path.join(dir, name);
      const mtime = statSync(full).mtimeMs;
      if (name.endsWith('.tmp')) {
        if (now - mtime > STALE_TEMP_MS) unlinkSync(full);
      } else if (name.endsWith('.v8cache')) {
        mine.push({ name, mtime });
      }
    }
    mine.sort((a, b) => b.mtime - a.mtime);
    for (const old of mine.slice(Math.max(0, keep - 1))) unlinkSync(path.join(dir, old.name));
  } catch {
    // Another run pruned first, or the folder is not ours to clean: the cache still works.
  }
}

export interface LoaderHost {
  module: NodeJS.Module;
  require: NodeJS.Require;
  filename: string;
  dirname: string;
}

/**
 * Runs `bundle` as if it were the loader file itself (`host`: the loader's own `module`,
 * `require`, `__filename`, `__dirname`), so `require.main === module`, relative requires and
 * `__filename` behave as in an unsplit bundle. A cache that was missing or unusable is written
 * when the process exits. `REKEY_CODE_CACHE=off` compiles without one.
 */
export function runBundle(bundle: string, options: CodeCacheOptions, host: LoaderHost): void {
  const off = process.env.REKEY_CODE_CACHE === 'off';
  const compiled = compileBundle(bundle, off ? { ...options, cacheDir: undefined } : options);
  if (compiled.status !== 'hit' && compiled.status !== 'off') {
    process.once('exit', () => {
      compiled.save();
    });
  }
  compiled.run.call(host.module.exports, host.module.exports, host.require, host.module, host.filename, host.dirname);
}
