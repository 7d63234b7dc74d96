import { createHash, randomBytes } from 'node:crypto';
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
 * byte can crash the process), so every file carries a SHA-256 of its payload, checked before V8
 * sees it. Files are written to a temporary name and renamed, so concurrent runs never read half
 * a file; each (bundle, runtime) pair has its own file and only the newest few are kept.
 */

/** First bytes of a cache file; the version changes if the layout does. */
const MAGIC = Buffer.from('rekeycc1');
const DIGEST_BYTES = 32;
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
  const key = createHash('sha256').update(runtime).digest('hex').slice(0, 20);
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
  const digest = createHash('sha256').update(data).digest();
  if (!digest.equals(buf.subarray(MAGIC.length, HEADER_BYTES))) return { status: 'corrupt' };
  return { status: 'hit', data };
}

function writeCache(file: string, data: () => Buffer, keep: number): boolean {
  const dir = path.dirname(file);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const payload = data();
    const digest = createHash('sha256').update(payload).digest();
    writeFileSync(temp, Buffer.concat([MAGIC, digest, payload]), { mode: 0o600 });
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
