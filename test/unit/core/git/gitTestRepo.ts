import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Real git repositories in temporary folders, with deterministic identities and dates. */

let clock = 1_600_000_000;

/** Environment for the test's own git commands (rekey's runner builds its own). */
export function testEnv(): NodeJS.ProcessEnv {
  clock += 60;
  const date = `${clock} +0000`;
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com', GIT_COMMITTER_DATE: date,
    GIT_CONFIG_NOSYSTEM: '1',
  };
}

/** Runs git in `cwd` and returns trimmed stdout; throws with stderr on failure. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'protocol.file.allow=always', ...args], {
    cwd, env: testEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

const made: string[] = [];

/** A fresh temporary folder (removed by {@link cleanupRepos}). */
export function tempDir(prefix = 'rekey-git-'): string {
  // Real path: git reports resolved paths, and the OS temp folder may be a symbolic link.
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

/** `git init` in a new temporary folder. */
export function makeRepo(prefix?: string): string {
  const dir = tempDir(prefix);
  git(dir, 'init', '-q');
  return dir;
}

/** Writes `files` (path -> content; `null` deletes) and commits them all. Returns the commit id. */
export function commit(repo: string, files: Record<string, string | null>, message = 'change'): string {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(repo, rel);
    if (content === null) {
      git(repo, 'rm', '-q', '--cached', '--ignore-unmatch', rel);
      rmSync(abs, { force: true });
    } else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, content);
      git(repo, 'add', '-f', rel);
    }
  }
  git(repo, 'commit', '-q', '--allow-empty', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

export function writeFile(repo: string, rel: string, content: string): string {
  const abs = path.join(repo, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  return abs;
}

/** Whether git is on PATH (every git test needs it; CI has it). */
export function hasGit(): boolean {
  return spawnSync('git', ['--version']).status === 0;
}

export function cleanupRepos(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}
