import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { git, gitEnv } from '../../../helpers/git';

/** Real git repositories in temporary folders, with deterministic identities and dates. */

/** Environment for the test's own git commands (rekey's runner builds its own). */
export function testEnv(): NodeJS.ProcessEnv {
  return gitEnv();
}

/** Runs git in `cwd` and returns trimmed stdout; throws with stderr on failure. */
export { git };

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
