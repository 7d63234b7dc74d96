import { spawn } from 'node:child_process';
import { abortReason, GitCommandError, GitNotFoundError } from './gitErrors';
import type { GitStream } from './gitRunner';
import { DIFF_COMMANDS, FILTER_COMMANDS, filterOverrides, gitEnvironment, NO_DIFF_PROGRAMS, safeGitArgs } from './safeConfig';

/*
 * The one place rekey starts git. `GitRunner` (repository reads), `HookGit` (hooks, which keep the
 * snapshot git hands them), the workspace file lister and the version probe all come here, so the
 * overrides of `safeConfig.ts` apply to every git process whoever asks for it.
 */

export interface SpawnGitOptions {
  cwd: string;
  /** Environment to start from (default `process.env`); git's own variables are removed from it. */
  env?: NodeJS.ProcessEnv;
  /** `GIT_*` variables to set after the cleaning (a hook's `GIT_INDEX_FILE`, `GIT_FLUSH`). */
  gitVariables?: Readonly<Record<string, string>>;
  /** git executable (default `git`, looked up on the PATH of `env`). */
  binary?: string;
  /** Further `-c` pairs (output formats only; never anything that names a program). */
  config?: readonly string[];
  /** Leave `core.hooksPath` as configured (see `safeGitArgs`). */
  keepHooksPath?: boolean;
  /** Open a pipe to the child's stdin (cat-file --batch, hooks feeding input). */
  stdin?: boolean;
  /** Exit codes other than 0 that count as success. */
  okCodes?: number[];
  signal?: AbortSignal;
}

export interface RunGitOptions extends SpawnGitOptions {
  /** Text written to git's stdin. */
  input?: string;
  /**
   * A non-zero exit with nothing on stderr is an answer, not a failure (`check-ignore` with no
   * match, `rev-parse --verify -q` of a missing ref): resolve with whatever stdout held.
   */
  quietExitIsAnswer?: boolean;
}

/** The full argv (after the binary) of one invocation: safety arguments, then the command. */
export function gitArgv(args: readonly string[], options: Pick<SpawnGitOptions, 'config' | 'keepHooksPath'> = {}, extraConfig: readonly string[] = []): string[] {
  const global = safeGitArgs({ keepHooksPath: options.keepHooksPath === true });
  for (const c of [...(options.config ?? []), ...extraConfig]) global.push('-c', c);
  const [command, ...rest] = args;
  if (command === undefined) return global;
  if (DIFF_COMMANDS.has(command)) return [...global, command, ...NO_DIFF_PROGRAMS, ...rest];
  return [...global, command, ...rest];
}

/**
 * Starts `git args` with the safety overrides, streaming its stdout; `done` settles with the exit
 * code, or a typed error naming the command and the first line of stderr. Aborting the signal
 * kills git. Commands that may run filter drivers must go through {@link runGitCommand}, which
 * blanks them first.
 */
export function spawnGitStream(args: string[], options: SpawnGitOptions): GitStream {
  if (FILTER_COMMANDS.has(args[0] ?? '')) throw new Error(`git ${args[0]} may run filter programs: start it through runGitCommand`);
  return startGit(args, options, []);
}

function startGit(args: string[], options: SpawnGitOptions, extraConfig: readonly string[]): GitStream {
  const command = args[0] ?? 'git';
  const { signal } = options;
  signal?.throwIfAborted();
  const binary = options.binary ?? 'git';
  const child = spawn(binary, gitArgv(args, options, extraConfig), {
    cwd: options.cwd,
    env: gitEnvironment(options.env ?? process.env, options.gitVariables),
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const stdout = child.stdout;
  if (!stdout) throw new GitCommandError(command, null, 'no stdout');
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString('utf8');
  });
  // git exiting early closes its stdin; writers learn that from `done`, not from an EPIPE crash.
  child.stdin?.on('error', () => undefined);
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  signal?.addEventListener('abort', kill, { once: true });
  const ok = new Set([0, ...(options.okCodes ?? [])]);
  const done = new Promise<number>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', kill);
      if (signal?.aborted) reject(abortReason(signal));
      else reject(err.code === 'ENOENT' || err.code === 'EACCES' ? new GitNotFoundError(binary) : err);
    });
    child.once('close', (code) => {
      signal?.removeEventListener('abort', kill);
      if (signal?.aborted) reject(abortReason(signal));
      else if (code !== null && ok.has(code)) resolve(code);
      else reject(new GitCommandError(command, code, firstLine(stderr)));
    });
  });
  // Callers that fail early may never await `done`; its rejection still reaches them through the
  // stream ending, so an unhandled rejection here would only be noise.
  done.catch(() => undefined);
  return { child, stdout, done, kill };
}

/** Short commands running at once; more wait, so a burst of checks cannot fork hundreds of gits. */
const MAX_CONCURRENT = 8;
let running = 0;
const waiting: Array<() => void> = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  return take();
}

/** A free slot taken at once, or `undefined`: git then starts in this tick, not the next one. */
function freeSlot(): (() => void) | undefined {
  return running < MAX_CONCURRENT ? take() : undefined;
}

function take(): () => void {
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/**
 * Runs a short command and returns its stdout (UTF-8). A command that may run filter drivers is
 * preceded by a `git config` listing of them, and every one is blanked for the run.
 * Rejects with GitCommandError, GitNotFoundError or the abort reason.
 */
export async function runGitCommand(args: string[], options: RunGitOptions): Promise<string> {
  options.signal?.throwIfAborted();
  let extra: string[] = [];
  if (FILTER_COMMANDS.has(args[0] ?? '')) {
    const keys = await runGitCommand(['config', '--name-only', '--get-regexp', '^filter\\.'], { ...options, input: undefined, stdin: false, okCodes: [1] });
    extra = filterOverrides(keys);
  }
  // Started synchronously when a slot is free, so a caller that starts git and then does
  // synchronous work (the hook entry loading the checks) has git running meanwhile.
  const release = freeSlot() ?? (await slot());
  try {
    const proc = startGit(args, { ...options, stdin: options.input !== undefined || options.stdin === true }, extra);
    if (options.input !== undefined) proc.child.stdin?.end(options.input);
    const chunks: Buffer[] = [];
    proc.stdout.on('data', (c: Buffer) => chunks.push(c));
    try {
      await proc.done;
    } catch (err) {
      if (!(options.quietExitIsAnswer && err instanceof GitCommandError && err.exitCode !== null && err.stderrLine === '')) throw err;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    release();
  }
}

/** First non-blank line of git's stderr, trimmed and capped, for error messages. */
export function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 300);
}
