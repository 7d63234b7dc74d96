import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { findRepoRoot, resolveGitDirs } from '../../../../src/core/git/repoRoot';
import { cleanupRepos, git, makeRepo, tempDir } from './gitTestRepo';

describe('repoRoot', () => {
  after(cleanupRepos);

  it('finds the folder holding .git from a nested file, and nothing outside a repository', () => {
    const repo = makeRepo();
    mkdirSync(path.join(repo, 'a', 'b'), { recursive: true });
    assert.equal(findRepoRoot(path.join(repo, 'a', 'b', '.env')), repo);
    const outside = tempDir();
    assert.equal(findRepoRoot(path.join(outside, '.env')), undefined);
  });

  it('resolves a plain clone, a linked worktree (.git is a file) and rejects a stray .git file', () => {
    const repo = makeRepo();
    writeFileSync(path.join(repo, 'x'), 'x\n');
    git(repo, 'add', 'x');
    git(repo, 'commit', '-qm', 'x');
    assert.deepEqual(resolveGitDirs(repo), { gitDir: path.join(repo, '.git'), commonDir: path.join(repo, '.git') });

    const wt = path.join(tempDir(), 'wt');
    git(repo, 'worktree', 'add', '-q', wt);
    assert.equal(findRepoRoot(path.join(wt, '.env')), wt);
    const dirs = resolveGitDirs(wt);
    assert.ok(dirs);
    // git itself says where the worktree's state lives.
    assert.equal(dirs.gitDir, path.resolve(wt, git(wt, 'rev-parse', '--git-dir')));
    assert.equal(dirs.commonDir, path.resolve(wt, git(wt, 'rev-parse', '--git-common-dir')));
    assert.notEqual(dirs.gitDir, dirs.commonDir);

    const stray = tempDir();
    writeFileSync(path.join(stray, '.git'), 'not a gitdir line\n');
    assert.equal(resolveGitDirs(stray), undefined);
  });
});
