import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as os from 'node:os';

/*
 * The one way tests run git for their own setup (rekey's code starts git through its runner).
 * Every call is isolated from the machine: no system or global config, no inherited GIT_*
 * variables (a test run from a git hook must not follow its GIT_DIR), a fixed identity, `main` as
 * the first branch, no signing and no line-ending conversion.
 */

let clock = 1_600_000_000;

export interface GitEnvOptions {
  /** `clock` (default): fixed dates one minute apart, so histories are deterministic; `now`: real time. */
  dates?: 'clock' | 'now';
  /** Variables set last (say, GIT_AUTHOR_DATE for a commit in the past). */
  extra?: NodeJS.ProcessEnv;
}

/** Environment for a test's own git commands. */
export function gitEnv(options: GitEnvOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  const dates: NodeJS.ProcessEnv = {};
  if (options.dates !== 'now') {
    clock += 60;
    dates.GIT_AUTHOR_DATE = dates.GIT_COMMITTER_DATE = `${clock} +0000`;
  }
  return {
    ...env,
    ...dates,
    GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com',
    GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull, NO_COLOR: '1',
    ...options.extra,
  };
}

const BASE_ARGS = ['-c', 'init.defaultBranch=main', '-c', 'protocol.file.allow=always', '-c', 'core.autocrlf=false', '-c', 'commit.gpgsign=false'];

/** Runs git; returns the whole result (status, stdout, stderr) without throwing. */
export function gitRun(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync('git', [...BASE_ARGS, ...args], { cwd, env: options.env ?? gitEnv(), encoding: 'utf8', input: options.input });
}

/** A `git(cwd, ...args)` that returns trimmed stdout and throws with git's stderr on failure. */
export function makeGit(options: GitEnvOptions = {}): (cwd: string, ...args: string[]) => string {
  return (cwd, ...args) => {
    const r = gitRun(cwd, args, { env: gitEnv(options) });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout.trim();
  };
}

/** git with deterministic dates. */
export const git = makeGit();
