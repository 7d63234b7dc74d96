import * as assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { GitRunner } from '../../../../src/core/git/gitRunner';
import { readRepoState } from '../../../../src/core/git/repoState';
import { cleanupRepos, commit, git, hasGit, makeRepo, tempDir } from './gitTestRepo';

/** A `git` (run by absolute path) that logs each command's arguments before running the one on PATH. */
function recordingGit(): { binary: string; calls: () => string[][] } {
  const dir = tempDir('rekey-recgit-');
  const log = path.join(dir, 'calls.log');
  const binary = path.join(dir, 'git');
  // One write per call: processes started together must not interleave their lines.
  writeFileSync(binary, `#!/bin/sh\nline=$(printf '%s\\037' "$@")\nprintf '%s\\n' "$line" >> '${log}'\nexec git "$@"\n`);
  chmodSync(binary, 0o755);
  return {
    binary,
    calls: () => {
      let text: string;
      try {
        text = readFileSync(log, 'utf8');
      } catch {
        return [];
      }
      // Only the command itself, after the `-c` overrides every process carries.
      return text.split('\n').filter(Boolean).map((l) => {
        const args = l.split('\x1f').filter(Boolean);
        const out: string[] = [];
        for (let i = 0; i < args.length; i++) {
          if (args[i] === '-c') i++;
          else if (args[i] !== '--no-pager') out.push(args[i] as string);
        }
        return out;
      });
    },
  };
}

describe('core/git opening in one command', function () {
  before(function () {
    if (!hasGit()) this.skip();
  });
  after(cleanupRepos);

  function shapes(): Record<string, string> {
    const plain = makeRepo();
    commit(plain, { '.env': 'A=1\n' });
    git(plain, 'branch', 'feature');
    git(plain, 'tag', '-a', 'v1', '-m', 'release');
    git(plain, 'tag', 'light');
    commit(plain, { 'sub/x.txt': 'x' });
    const detached = makeRepo();
    commit(detached, { 'a.txt': '1' });
    commit(detached, { 'a.txt': '2' });
    git(detached, 'checkout', '-q', '--detach', 'HEAD~1');
    const cloneDir = tempDir();
    git(cloneDir, 'clone', '-q', '--no-local', plain, 'c');
    const shallowDir = tempDir();
    git(shallowDir, 'clone', '-q', '--depth', '1', `file://${plain}`, 's');
    return { plain: path.join(plain, 'sub'), detached, clone: path.join(cloneDir, 'c'), shallow: path.join(shallowDir, 's') };
  }

  it('reads the same repository and state as the step-by-step commands, with two processes', async () => {
    for (const [name, dir] of Object.entries(shapes())) {
      const rec = recordingGit();
      const fast = await GitRunner.open(dir, { trusted: true, binary: rec.binary });
      const fastState = await readRepoState(fast);
      const commands = rec.calls().map((c) => c[0]);
      assert.deepEqual(commands.sort(), ['--version', 'rev-parse'].sort(), `${name}: one probe besides the version (${JSON.stringify(rec.calls())})`);
      // The same runner asks git step by step from now on: refs move while a runner lives.
      const slowState = await readRepoState(fast);
      assert.ok(rec.calls().some((c) => c[0] === 'for-each-ref'), `${name}: the second read asks git`);
      assert.deepEqual(fastState, slowState, name);
      assert.equal(fast.root, git(dir, 'rev-parse', '--show-toplevel'), name);
      assert.equal(fast.gitDir, git(dir, 'rev-parse', '--absolute-git-dir'), name);
      assert.equal(fast.shallow, name === 'shallow', name);
    }
  });

  it('falls back to the step-by-step commands for a bare repository, an unborn HEAD and a git dir', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '--bare', 'r.git');
    const bare = await GitRunner.open(path.join(dir, 'r.git'), { trusted: true });
    assert.equal(bare.bare, true);
    assert.equal((await readRepoState(bare)).empty, true);
    const unborn = makeRepo();
    const u = await GitRunner.open(unborn, { trusted: true });
    const st = await readRepoState(u);
    assert.deepEqual([st.empty, st.hasHead, u.root], [true, false, unborn]);
    const repo = makeRepo();
    commit(repo, { 'a.txt': '1' });
    await assert.rejects(GitRunner.open(path.join(repo, '.git'), { trusted: true }), /work tree/);
  });
});
