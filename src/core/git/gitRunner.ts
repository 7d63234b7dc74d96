import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CatFileBatch } from './catFileBatch';
import { abortReason, GitCommandError, GitNotFoundError, NotARepositoryError } from './gitErrors';
import { firstLine, runGitCommand, spawnGitStream } from './gitStream';
import { configOverrides, GIT_ENV } from './safeConfig';

/** How to run git for one repository. */
export interface GitRunnerOptions {
  /**
   * Whether the caller trusts the folder (the CLI: the user ran it; the extension: VS Code's
   * workspace trust). It no longer changes how git runs: the overrides of `safeConfig.ts` apply to
   * every process. Kept so callers state the decision they made before running git at all.
   */
  trusted: boolean;
  /** Cancels every command this runner starts; running children are killed. */
  signal?: AbortSignal;
  /** git executable (default `git`, looked up on the PATH of `env`). */
  binary?: string;
  /** Base environment for children (default `process.env`); git's own variables are removed. */
  env?: NodeJS.ProcessEnv;
  /**
   * A per-user folder (the state folder) where `git --version` is remembered for the git binary
   * found on PATH, keyed on its path, size and modification time, so a short command does not
   * start one more process to learn it. Default: asked every process.
   */
  versionCacheDir?: string;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Leave `core.hooksPath` as configured (only to locate the hooks folder; see `safeGitArgs`). */
  keepHooksPath?: boolean;
  /** Text written to git's stdin (e.g. paths for `check-ignore --stdin`). */
  input?: string;
}

/** A long-running git command whose stdout is consumed as a stream. */
export interface GitStream {
  child: ChildProcess;
  stdout: NodeJS.ReadableStream;
  /** Resolves when git exits 0 (or with an `okCodes` status); rejects on failure or abort. */
  done: Promise<number>;
  /** Kills the process (idempotent). */
  kill(): void;
}

export interface StreamOptions {
  signal?: AbortSignal;
  /** Exit statuses other than 0 that are not failures. */
  okCodes?: number[];
  /** Keep stdin open as a pipe (for `--stdin` commands); otherwise it is ignored. */
  stdin?: boolean;
  /**
   * Let git fill its output buffer before writing (`GIT_FLUSH=0`). On a pipe, git log otherwise
   * writes once per commit, and thousands of tiny reads cost more here than git's own work. Not
   * for request/answer processes such as cat-file, whose answers must not wait in a buffer.
   */
  bulk?: boolean;
}

export interface GitVersion {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

/** What `open` learned about the repository. */
export interface RepositoryInfo {
  /** Absolute top level of the work tree (the git dir itself for a bare repository). */
  root: string;
  /** Absolute git dir (for a linked worktree, its private git dir). */
  gitDir: string;
  bare: boolean;
  shallow: boolean;
}

/** Refs and HEAD as `open` saw them, handed once to the first `readRepoState` (see `takeOpeningRefs`). */
export interface OpeningRefs {
  /** `%(objectname) %(refname)` of every ref under `refs/`, sorted by name (as `for-each-ref` prints them). */
  refs: Array<[oid: string, name: string]>;
  /** The commit HEAD names. */
  head: string;
  /** The branch HEAD points at (`refs/heads/…`), or '' when detached. */
  symbolicHead: string;
}

const versionCache = new Map<string, Promise<GitVersion>>();

/** Stands in for the version while the probe runs (the probe never asks it). */
const PROBE_VERSION: GitVersion = { major: 0, minor: 0, patch: 0, text: '' };

/**
 * What a work tree with a commit checked out answers in one process: bare, git dir, shallow, top
 * level, HEAD's commit, every ref's object, HEAD's branch, every ref's name. Anything else (bare
 * repositories, unborn HEAD, a git dir, not a repository) fails it, and `open` asks step by step.
 */
const OPEN_ARGS = ['rev-parse', '--is-bare-repository', '--absolute-git-dir', '--is-shallow-repository', '--show-toplevel', 'HEAD', '--all', '--symbolic-full-name', 'HEAD', '--symbolic', '--all'];
const OID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** Reads the answer to {@link OPEN_ARGS}; undefined unless it has exactly that shape. */
export function parseOpening(out: string): { info: RepositoryInfo; refs: OpeningRefs } | undefined {
  const lines = out.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const [bare, gitDir, shallow, top, head] = lines;
  const n = (lines.length - 6) / 2;
  if (bare !== 'false' || !gitDir || (shallow !== 'true' && shallow !== 'false') || !top || !head || !OID.test(head)) return undefined;
  if (!Number.isInteger(n) || n < 0) return undefined;
  const oids = lines.slice(5, 5 + n);
  const symbolic = lines[5 + n] as string;
  const names = lines.slice(6 + n);
  if (!oids.every((o) => OID.test(o)) || !names.every((r) => r.startsWith('refs/')) || (symbolic !== 'HEAD' && !symbolic.startsWith('refs/'))) return undefined;
  return {
    info: { root: path.resolve(top), gitDir: path.resolve(gitDir), bare: false, shallow: shallow === 'true' },
    refs: { refs: oids.map((o, i) => [o, names[i] as string]), head, symbolicHead: symbolic === 'HEAD' ? '' : symbolic },
  };
}

/**
 * Runs git for one repository, safely and cancellably. Every process (short commands, streams,
 * `cat-file --batch`) starts in `gitStream.ts`, which applies the overrides of `safeConfig.ts`.
 */
export class GitRunner {
  readonly root: string;
  readonly gitDir: string;
  readonly bare: boolean;
  readonly shallow: boolean;
  readonly trusted: boolean;
  readonly version: GitVersion;
  private readonly binary: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly signal?: AbortSignal;
  private openingRefs?: OpeningRefs;

  private constructor(info: RepositoryInfo, version: GitVersion, options: GitRunnerOptions, openingRefs?: OpeningRefs) {
    this.root = info.root;
    this.gitDir = info.gitDir;
    this.bare = info.bare;
    this.shallow = info.shallow;
    this.trusted = options.trusted;
    this.version = version;
    this.binary = options.binary ?? 'git';
    this.env = options.env ?? process.env;
    this.signal = options.signal;
    this.openingRefs = openingRefs;
  }

  /**
   * Opens the repository containing `dir` (a work tree, a folder inside one, a linked worktree
   * or a bare repository).
   * @throws GitNotFoundError when git cannot be run; NotARepositoryError when `dir` is not in a
   * repository git will read (including "dubious ownership" refusals).
   */
  static async open(dir: string, options: GitRunnerOptions): Promise<GitRunner> {
    // The version (cached per process) is asked alongside the probe, not before it.
    const pendingVersion = gitVersion(options.binary ?? 'git', options.env ?? process.env, options.signal, options.versionCacheDir);
    pendingVersion.catch(() => undefined);
    const probe = new GitRunner({ root: path.resolve(dir), gitDir: '', bare: false, shallow: false }, PROBE_VERSION, options);
    const opened = await probe.run(OPEN_ARGS).then(parseOpening, () => undefined);
    const version = await pendingVersion;
    if (opened) return new GitRunner(opened.info, version, options, opened.refs);
    options.signal?.throwIfAborted();
    let out: string;
    try {
      out = await probe.run(['rev-parse', '--is-bare-repository', '--absolute-git-dir', '--is-shallow-repository']);
    } catch (err) {
      throw toRepositoryError(err, dir, options.signal);
    }
    const [bareLine, gitDir, shallowLine] = out.split('\n');
    const bare = bareLine === 'true';
    let root = path.resolve(gitDir ?? dir);
    if (!bare) {
      try {
        root = path.resolve((await probe.run(['rev-parse', '--show-toplevel'])).trim());
      } catch (err) {
        // Inside the git dir itself, or a repository without a work tree.
        throw toRepositoryError(err, dir, options.signal);
      }
    }
    return new GitRunner({ root, gitDir: path.resolve(gitDir ?? ''), bare, shallow: shallowLine === 'true' }, version, options);
  }

  /**
   * The refs and HEAD read while opening, once: the first caller (`readRepoState`) saves its
   * commands; later callers get undefined and ask git, since refs move while a runner lives.
   */
  takeOpeningRefs(): OpeningRefs | undefined {
    const refs = this.openingRefs;
    this.openingRefs = undefined;
    return refs;
  }

  /** The `-c` overrides and environment in effect (for tests and `--verbose`). */
  describe(): { config: string[]; env: Record<string, string> } {
    return { config: configOverrides(), env: { ...GIT_ENV } };
  }

  /** Whether git is at least `major.minor`. */
  atLeast(major: number, minor: number): boolean {
    return this.version.major > major || (this.version.major === major && this.version.minor >= minor);
  }

  /**
   * Runs a short command and returns its stdout. A non-zero exit that printed nothing on stderr
   * is an answer (e.g. `check-ignore` matching nothing) and resolves with stdout.
   * Rejects with GitCommandError or the abort reason.
   */
  async run(args: string[], options: RunOptions = {}): Promise<string> {
    const signal = combineSignals(this.signal, options.signal);
    signal?.throwIfAborted();
    try {
      return await runGitCommand(args, {
        cwd: this.root,
        env: this.env,
        binary: this.binary,
        quietExitIsAnswer: true,
        ...(options.input !== undefined ? { input: options.input } : {}),
        ...(options.keepHooksPath ? { keepHooksPath: true } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted) throw abortReason(signal);
      throw err;
    }
  }

  /**
   * Starts a streaming command; the caller reads `stdout` and awaits `done`. Start reading (or
   * attach a listener) before awaiting anything else: node discards the unread output of a child
   * process that has exited.
   */
  stream(args: string[], options: StreamOptions = {}): GitStream {
    const signal = combineSignals(this.signal, options.signal);
    return spawnGitStream(args, {
      cwd: this.root,
      env: this.env,
      binary: this.binary,
      ...(options.bulk ? { gitVariables: { GIT_FLUSH: '0' } } : {}),
      ...(options.stdin ? { stdin: true } : {}),
      ...(options.okCodes ? { okCodes: options.okCodes } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * Starts one `git cat-file` process for the repository (close it when done). With `eager: false`
   * requests are sent in batches: call `flush()` before awaiting an answer.
   */
  catFile(options: { signal?: AbortSignal; eager?: boolean } = {}): CatFileBatch {
    const eager = options.eager ?? true;
    if (this.atLeast(2, 36)) {
      return new CatFileBatch(this.stream(['cat-file', '--batch-command', '--buffer'], { signal: options.signal, stdin: true }), true, eager);
    }
    return new CatFileBatch(this.stream(['cat-file', '--batch'], { signal: options.signal, stdin: true }), false, eager);
  }
}

/**
 * `git --version`, cached per binary and PATH; with `cacheDir`, also across processes (see
 * {@link GitRunnerOptions.versionCacheDir}). @throws GitNotFoundError
 */
export function gitVersion(binary: string, env: NodeJS.ProcessEnv, signal?: AbortSignal, cacheDir?: string): Promise<GitVersion> {
  const cacheKey = `${binary}\0${env.PATH ?? ''}`;
  let cached = versionCache.get(cacheKey);
  if (!cached) {
    const identity = cacheDir ? binaryIdentity(binary, env) : undefined;
    const known = cacheDir && identity ? readVersionCache(cacheDir, identity) : undefined;
    cached = known ? Promise.resolve(known) : probeVersion(binary, env, signal);
    if (!known && cacheDir && identity) void cached.then((v) => writeVersionCache(cacheDir, identity, v), () => undefined);
    versionCache.set(cacheKey, cached);
    cached.catch(() => versionCache.delete(cacheKey));
  }
  return cached;
}

const VERSION_CACHE_FILE = 'git-version.json';

/**
 * The git executable `binary` names on `env.PATH` (an absolute or relative path as is), as
 * `path, size, mtime, inode`: a different or updated git gives a different identity. Undefined
 * when it cannot be found (the probe then says why).
 */
export function binaryIdentity(binary: string, env: NodeJS.ProcessEnv): string | undefined {
  const candidates = binary.includes('/') || binary.includes(path.sep)
    ? [path.resolve(binary)]
    : (env.PATH ?? '').split(path.delimiter).filter((d) => d !== '' && path.isAbsolute(d)).flatMap((d) => {
        const base = path.join(d, binary);
        return process.platform === 'win32' ? [`${base}.exe`, `${base}.cmd`, base] : [base];
      });
  for (const file of candidates) {
    try {
      const st = statSync(file);
      // As the spawn's PATH search does, a file that cannot be executed is passed over.
      if (st.isFile() && (process.platform === 'win32' || (st.mode & 0o111) !== 0)) return JSON.stringify([file, st.size, st.mtimeMs, st.ino]);
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** The remembered version for `identity`, if the cache file holds one. */
export function readVersionCache(dir: string, identity: string): GitVersion | undefined {
  try {
    const data = JSON.parse(readFileSync(path.join(dir, VERSION_CACHE_FILE), 'utf8')) as { identity?: unknown; text?: unknown };
    if (data.identity !== identity || typeof data.text !== 'string') return undefined;
    return parseVersion(data.text);
  } catch {
    return undefined;
  }
}

/** Remembers `version` for `identity` (one entry: the git in use); failures are ignored. */
export function writeVersionCache(dir: string, identity: string, version: GitVersion): void {
  const file = path.join(dir, VERSION_CACHE_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, JSON.stringify({ identity, text: version.text }) + '\n', { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // A read-only or missing state folder only costs the probe next time.
  }
}

function parseVersion(out: string): GitVersion | undefined {
  const m = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(out);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text: m[0] } : undefined;
}

async function probeVersion(binary: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<GitVersion> {
  let out: string;
  try {
    // Outside any repository: the version needs no configuration but the safe defaults.
    out = await runGitCommand(['--version'], { cwd: os.tmpdir(), env, binary, ...(signal ? { signal } : {}) });
  } catch {
    if (signal?.aborted) throw abortReason(signal);
    throw new GitNotFoundError(binary);
  }
  const version = parseVersion(out);
  if (!version) throw new GitNotFoundError(binary);
  return version;
}

function combineSignals(a?: AbortSignal, b?: AbortSignal): AbortSignal | undefined {
  if (!a) return b;
  if (!b) return a;
  return AbortSignal.any([a, b]);
}

function toRepositoryError(err: unknown, dir: string, signal?: AbortSignal): Error {
  if (signal?.aborted) return abortReason(signal);
  if (err instanceof GitNotFoundError) return err;
  const line = err instanceof GitCommandError ? err.stderrLine : firstLine(String((err as Error).message ?? err));
  if (/not a git repository/i.test(line)) return new NotARepositoryError(dir);
  if (/dubious ownership/i.test(line)) {
    return new NotARepositoryError(dir, 'git refuses it because another user owns it (add it to safe.directory if you trust it)');
  }
  if (/must be run in a work tree/i.test(line)) return new NotARepositoryError(dir, 'inside a git dir, not a work tree');
  return new NotARepositoryError(dir, line.replace(/^fatal:\s*/, ''));
}
