import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { GitNotFoundError, GitCommandError, NotARepositoryError } from '../../../../src/core/git/gitErrors';
import { CatFileBatch } from '../../../../src/core/git/catFileBatch';
import { binaryIdentity, gitVersion, GitRunner, readVersionCache } from '../../../../src/core/git/gitRunner';
import { cleanupRepos, commit, git, makeRepo, tempDir, writeFile } from './gitTestRepo';

describe('core/git/gitRunner', () => {
  after(cleanupRepos);

  it('opens a repository from a subfolder and reports its root', async () => {
    const repo = makeRepo();
    commit(repo, { 'a/b/.env': 'A=1\n' });
    const runner = await GitRunner.open(path.join(repo, 'a', 'b'), { trusted: false });
    assert.equal(runner.root, path.resolve(git(repo, 'rev-parse', '--show-toplevel')));
    assert.equal(runner.bare, false);
    assert.equal(runner.shallow, false);
    assert.match(await runner.run(['rev-parse', 'HEAD']), /^[0-9a-f]{40}\n$/);
  });

  it('throws NotARepositoryError outside a repository', async () => {
    const dir = tempDir();
    await assert.rejects(GitRunner.open(dir, { trusted: false }), NotARepositoryError);
  });

  it('throws GitNotFoundError when git is not on PATH', async () => {
    const repo = makeRepo();
    await assert.rejects(GitRunner.open(repo, { trusted: false, env: { ...process.env, PATH: path.join(tempDir(), 'empty-bin') } }), GitNotFoundError);
  });

  it('opens a bare repository with its git dir as root', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '--bare', 'r.git');
    const runner = await GitRunner.open(path.join(dir, 'r.git'), { trusted: false });
    assert.equal(runner.bare, true);
  });

  it('reports a failing command as GitCommandError with the first stderr line', async () => {
    const repo = makeRepo();
    commit(repo, { 'x.txt': 'x' });
    const runner = await GitRunner.open(repo, { trusted: false });
    await assert.rejects(runner.run(['rev-parse', '--verify', 'no-such-ref^{commit}']), (err: unknown) => err instanceof GitCommandError && /rev-parse/.test(err.message));
  });

  it('trusted or not: a hostile core.fsmonitor in the repository config does not run', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': 'A=1\n' });
    const marker = path.join(tempDir(), 'pwned');
    const hook = writeFile(repo, 'hook.sh', `#!/bin/sh\ntouch '${marker}'\n`);
    git(repo, 'update-index', '--chmod=+x', '--add', 'hook.sh');
    chmodSync(hook, 0o755);
    git(repo, 'config', 'core.fsmonitor', hook);
    git(repo, 'config', 'log.showSignature', 'true');
    git(repo, 'config', 'gpg.program', hook);

    const untrusted = await GitRunner.open(repo, { trusted: false });
    await untrusted.run(['ls-files', '-z']);
    await untrusted.run(['check-ignore', '--no-index', '-z', '--stdin'], { input: '.env\0' });
    const s = untrusted.stream(['log', '--all', '--format=%H']);
    for await (const _ of s.stdout) void _;
    await s.done;
    assert.equal(existsSync(marker), false, 'the fsmonitor hook must not run for an untrusted repository');
    const trusted = await GitRunner.open(repo, { trusted: true });
    await trusted.run(['ls-files', '-z']);
    assert.equal(existsSync(marker), false, 'nor for a trusted one: rekey never needs the program');

    // Plain git does run it: the test can fail.
    git(repo, 'ls-files');
    assert.equal(existsSync(marker), true, 'control: git itself honours the repository config');
  });

  it('blanks every configured filter driver before a command that converts work-tree content', async () => {
    const repo = makeRepo();
    writeFileSync(path.join(repo, '.gitattributes'), '* filter=evil\n');
    commit(repo, { '.env': 'A=1\n' });
    const marker = path.join(tempDir(), 'filtered');
    const script = writeFile(tempDir(), 'f.sh', `#!/bin/sh\ntouch '${marker}'\ncat\n`);
    chmodSync(script, 0o755);
    for (const k of ['clean', 'smudge', 'process']) git(repo, 'config', `filter.evil.${k}`, script);
    git(repo, 'config', 'filter.evil.required', 'true');
    writeFileSync(path.join(repo, '.env'), 'A=2\n');
    const runner = await GitRunner.open(repo, { trusted: true });
    await runner.run(['rm', '--cached', '--quiet', '-f', '--', '.env']);
    assert.equal(existsSync(marker), false, 'no filter ran');
    assert.equal((await runner.run(['ls-files'])).includes('.env\n'), false, 'the file was untracked');
    assert.throws(() => git(repo, 'add', '.env'), /filter/, 'control: the required filter fails plain git add');
    assert.equal(existsSync(marker), true, 'control: plain git add runs the filter');
  });

  it('ignores git variables inherited from the environment (GIT_DIR from a hook)', async () => {
    const repo = makeRepo();
    const head = commit(repo, { 'f.txt': '1' });
    const other = makeRepo();
    commit(other, { 'g.txt': '2' });
    const runner = await GitRunner.open(repo, { trusted: false, env: { ...process.env, GIT_DIR: path.join(other, '.git') } });
    assert.equal((await runner.run(['rev-parse', 'HEAD'])).trim(), head);
  });

  it('aborts a running stream and kills git', async () => {
    const repo = makeRepo();
    for (let i = 0; i < 30; i++) commit(repo, { [`f${i}.txt`]: String(i) });
    const runner = await GitRunner.open(repo, { trusted: false });
    const ac = new AbortController();
    const s = runner.stream(['log', '--all', '-p'], { signal: ac.signal });
    ac.abort();
    await assert.rejects(s.done, (err: Error) => err.name === 'AbortError');
    assert.ok(s.child.killed || s.child.signalCode !== null || s.child.exitCode !== null);
    await assert.rejects(runner.run(['rev-parse', 'HEAD'], { signal: ac.signal }), (err: Error) => err.name === 'AbortError');
  });

  it('reads many objects through one cat-file process, missing ones as undefined', async () => {
    const repo = makeRepo();
    const head = commit(repo, { '.env': 'A=1\n', 'dir with space/.env': 'B=2\n' });
    const runner = await GitRunner.open(repo, { trusted: false });
    const cat = runner.catFile();
    const [a, b, missing, missingPath] = await Promise.all([
      cat.read(`${head}:.env`),
      cat.read(`${head}:dir with space/.env`),
      cat.read('0123456789012345678901234567890123456789'),
      cat.read(`${head}:no such file`),
    ]);
    await cat.close();
    assert.equal(a?.content.toString(), 'A=1\n');
    assert.equal(b?.content.toString(), 'B=2\n');
    assert.equal(missing, undefined);
    assert.equal(missingPath, undefined);
    await assert.rejects(cat.read('HEAD'), /closed/);
  });

  it('reads through plain --batch too (git before 2.36), eager or batched', async () => {
    const repo = makeRepo();
    const head = commit(repo, { '.env': 'A=1\n', 'b.env': 'B=2\n' });
    const runner = await GitRunner.open(repo, { trusted: false });
    for (const eager of [true, false]) {
      const cat = new CatFileBatch(runner.stream(['cat-file', '--batch'], { stdin: true }), false, eager);
      const reads = [cat.read(`${head}:.env`), cat.read('f'.repeat(40)), cat.read(`${head}:b.env`)];
      if (!eager) cat.flush();
      const [a, missing, b] = await Promise.all(reads);
      await cat.close();
      assert.equal(a?.content.toString(), 'A=1\n');
      assert.equal(missing, undefined);
      assert.equal(b?.content.toString(), 'B=2\n');
    }
  });

  it('works from a linked worktree', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': 'A=1\n' });
    const wt = path.join(tempDir(), 'wt');
    mkdirSync(path.dirname(wt), { recursive: true });
    git(repo, 'worktree', 'add', '-q', '-b', 'side', wt);
    const runner = await GitRunner.open(wt, { trusted: false });
    assert.equal(runner.root, path.resolve(wt));
    assert.equal((await runner.run(['rev-parse', '--abbrev-ref', 'HEAD'])).trim(), 'side');
  });
  describe('git version remembered in a state folder', () => {
    /** A folder holding a stand-in `git` that prints `text` (and a PATH of that folder only). */
    function fakeGit(text: string): { bin: string; env: NodeJS.ProcessEnv } {
      const bin = path.join(tempDir('rekey-fakegit-'), 'bin');
      mkdirSync(bin, { recursive: true });
      writeGit(bin, text);
      return { bin, env: { ...process.env, PATH: bin } };
    }
    function writeGit(bin: string, text: string): void {
      const file = path.join(bin, 'git');
      writeFileSync(file, `#!/bin/sh\necho "${text}"\n`);
      chmodSync(file, 0o755);
    }

    it('asks git once, then answers from the state folder for the same binary', async function () {
      if (process.platform === 'win32') this.skip();
      const state = tempDir('rekey-state-');
      const { bin, env } = fakeGit('git version 2.41.3');
      assert.equal(readVersionCache(state, binaryIdentity('git', env)!), undefined);
      assert.equal((await gitVersion('git', env, undefined, state)).text, 'git version 2.41.3');
      assert.deepEqual(readVersionCache(state, binaryIdentity('git', env)!), { major: 2, minor: 41, patch: 3, text: 'git version 2.41.3' });
      // A stand-in that now prints nothing usable: a second process (another PATH spelling,
      // so not this one's in-memory answer) still gets the remembered version without running it.
      writeFileSync(path.join(state, 'git-version.json'), readFileSync(path.join(state, 'git-version.json'), 'utf8').replace('2.41.3', '2.40.1'));
      const again = await gitVersion('git', { ...env, PATH: `${bin}${path.delimiter}` }, undefined, state);
      assert.equal(again.text, 'git version 2.40.1');
    });

    it('asks again when the binary changes, and when the file is unreadable', async function () {
      if (process.platform === 'win32') this.skip();
      const state = tempDir('rekey-state-');
      const { bin, env } = fakeGit('git version 2.39.0');
      await gitVersion('git', env, undefined, state);
      writeGit(bin, 'git version 2.45.10');
      const changed = await gitVersion('git', { ...env, PATH: `${bin}${path.delimiter}` }, undefined, state);
      assert.equal(changed.text, 'git version 2.45.10');
      assert.equal(readVersionCache(state, binaryIdentity('git', env)!)?.text, 'git version 2.45.10');
      writeFileSync(path.join(state, 'git-version.json'), '{not json');
      assert.equal((await gitVersion('git', { ...env, PATH: `${path.delimiter}${bin}` }, undefined, state)).text, 'git version 2.45.10');
    });

    it('passes over a file named git that cannot be executed', function () {
      if (process.platform === 'win32') this.skip();
      const dir = path.join(tempDir(), 'bin');
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'git'), 'not a program');
      assert.equal(binaryIdentity('git', { PATH: dir }), undefined);
    });
  });
});
