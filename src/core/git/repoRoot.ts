import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/*
 * Where a repository is, found from the file system alone: no git process, so nothing a
 * repository's config names can run, and cheap enough for every keystroke's pass.
 */

/**
 * Walks up from `file` to the nearest folder holding `.git` (a folder, or a file for worktrees and
 * submodules): the repository that owns the file, or `undefined` outside any.
 */
export function findRepoRoot(file: string): string | undefined {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The folders git keeps a work tree's state in. */
export interface GitDirs {
  /** This work tree's own git dir: `HEAD` and `index` live here. */
  gitDir: string;
  /** The repository's shared dir (refs, packed-refs, config): the git dir itself except in linked worktrees. */
  commonDir: string;
}

/**
 * Resolves the git dir of the work tree at `root`. `.git` is a folder in a plain clone and a file
 * (`gitdir: <path>`) in linked worktrees and submodules; a worktree's git dir names the shared dir
 * in its `commondir` file. `undefined` when `root/.git` is neither.
 */
export function resolveGitDirs(root: string): GitDirs | undefined {
  const dotGit = path.join(root, '.git');
  let gitDir: string;
  try {
    if (statSync(dotGit).isDirectory()) {
      gitDir = dotGit;
    } else {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
      if (!m?.[1]) return undefined;
      gitDir = path.resolve(root, m[1]);
    }
  } catch {
    return undefined;
  }
  let commonDir = gitDir;
  try {
    const common = readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim();
    if (common) commonDir = path.resolve(gitDir, common);
  } catch {
    // No commondir file: not a linked worktree.
  }
  return { gitDir, commonDir };
}
