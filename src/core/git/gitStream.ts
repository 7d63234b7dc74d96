import { spawn } from 'node:child_process';
import { abortReason, GitCommandError, GitNotFoundError } from './gitErrors';
import type { GitStream } from './gitRunner';

export interface SpawnGitStreamOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Open a pipe to the child's stdin (cat-file --batch, hooks feeding input). */
  stdin?: boolean;
  /** Exit codes other than 0 that count as success. */
  okCodes?: number[];
  signal?: AbortSignal;
}

/**
 * Starts `git globalArgs args` (global args: `-c` overrides and the like) streaming its stdout; `done` settles with the exit code, or a typed error
 * naming the command and the first line of stderr. Aborting the signal kills git. Shared by
 * `GitRunner` (repository reads) and `HookGit` (hooks, which keep git's own environment).
 */
export function spawnGitStream(binary: string, globalArgs: readonly string[], args: string[], options: SpawnGitStreamOptions): GitStream {
  const { signal } = options;
  signal?.throwIfAborted();
  const child = spawn(binary, [...globalArgs, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const command = args[0] ?? 'git';
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
      reject(err.code === 'ENOENT' ? new GitNotFoundError(binary) : err);
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

/** First non-blank line of git's stderr, trimmed and capped, for error messages. */
export function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 300);
}
