import * as assert from 'node:assert/strict';
import { existsSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { discoverEnvHistory, type EnvHistory } from '../../../../src/core/git/envHistory';
import { GitRunner } from '../../../../src/core/git/gitRunner';
import { cleanupRepos, commit, git, makeRepo, tempDir } from './gitTestRepo';

async function discover(dir: string): Promise<EnvHistory> {
  return discoverEnvHistory(await GitRunner.open(dir, { trusted: false }));
}

function pairs(h: EnvHistory): string[] {
  return h.blobs.map((b) => `${b.path}=${h.texts.get(b.blob)?.trim() ?? `<${b.unreadable}>`}`).sort();
}

describe('core/git/envHistory', () => {
  after(cleanupRepos);

  it('finds every version on every ref: branches, tags, detached commits; not look-alikes', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': 'A=1\n', 'config.env.js': 'module.exports = 1;\n', 'src/app.js': 'x' });
    commit(repo, { '.env': 'A=2\n', 'services/api/.env.production': 'P=1\n', 'deploy/prod.env': 'D=1\n' });
    git(repo, 'checkout', '-q', '-b', 'feature');
    commit(repo, { '.env.local': 'L=feature-only\n' });
    git(repo, 'checkout', '-q', 'main');
    git(repo, 'checkout', '-q', '--detach');
    commit(repo, { '.env.staging': 'S=tag-only\n' });
    git(repo, 'tag', 'only-tag');
    git(repo, 'checkout', '-q', 'main');
    commit(repo, { '.env': null }, 'delete .env');
    const h = await discover(repo);
    assert.deepEqual(pairs(h), [
      '.env.local=L=feature-only', '.env.staging=S=tag-only', '.env=A=1', '.env=A=2', 'deploy/prod.env=D=1', 'services/api/.env.production=P=1',
    ]);
    assert.equal(h.partial, false);
    assert.equal(h.commits, 5);
  });

  it('finds a blob that only a merge introduced, attributed to the merge', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': 'A=base\n' });
    git(repo, 'checkout', '-q', '-b', 'side');
    commit(repo, { '.env': 'A=side\n' });
    git(repo, 'checkout', '-q', 'main');
    commit(repo, { '.env': 'A=main\n' });
    // Resolve the conflict with a value neither side had, and add a file only the merge has.
    try {
      git(repo, 'merge', '-q', 'side');
    } catch {
      /* conflict expected */
    }
    commit(repo, { '.env': 'A=resolved\n', '.env.merge-only': 'M=1\n' }, 'merge');
    const merge = git(repo, 'rev-parse', 'HEAD');
    assert.equal(git(repo, 'rev-list', '--parents', '-n1', 'HEAD').split(' ').length, 3, 'HEAD is a merge');
    const h = await discover(repo);
    assert.deepEqual(pairs(h), ['.env.merge-only=M=1', '.env=A=base', '.env=A=main', '.env=A=resolved', '.env=A=side']);
    const resolved = h.blobs.find((b) => h.texts.get(b.blob) === 'A=resolved\n');
    assert.deepEqual(resolved?.commits, [merge]);
    // `git log --raw` without merge diffs cannot see it: the reason discovery reads combined diffs.
    const plain = git(repo, 'log', '--all', '--raw', '--no-abbrev', '--format=');
    assert.ok(!plain.includes(resolved?.blob ?? '?'));
  });

  it('sees a file under its .env name whichever way it was renamed, and every path of a shared blob', async () => {
    const repo = makeRepo();
    commit(repo, { 'notes.txt': 'SECRET=moved-in\n', 'old.env': 'SECRET=moved-out\n' });
    git(repo, 'mv', 'notes.txt', '.env');
    git(repo, 'mv', 'old.env', 'settings.txt');
    git(repo, 'commit', '-q', '-m', 'renames');
    commit(repo, { 'copy/.env.local': 'SECRET=moved-in\n' });
    const h = await discover(repo);
    assert.deepEqual(pairs(h), ['.env=SECRET=moved-in', 'copy/.env.local=SECRET=moved-in', 'old.env=SECRET=moved-out']);
  });

  it('reads files that are deleted and ignored now', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': 'TOKEN=abc\n' });
    commit(repo, { '.env': null, '.gitignore': '.env\n' });
    const h = await discover(repo);
    assert.deepEqual(pairs(h), ['.env=TOKEN=abc']);
  });

  it('skips symbolic links and oversized blobs, saying why', async () => {
    const repo = makeRepo();
    symlinkSync('target.txt', path.join(repo, '.env'));
    git(repo, 'add', '.env');
    commit(repo, { '.env.big': 'X='.padEnd(2 * 1024 * 1024, 'x') + '\n' });
    const h = await discoverEnvHistory(await GitRunner.open(repo, { trusted: false }), { maxBytes: 1024 });
    assert.deepEqual(pairs(h), ['.env.big=<too-large>']);
  });

  it('returns nothing for an empty repository', async () => {
    const repo = makeRepo();
    const h = await discover(repo);
    assert.equal(h.blobs.length, 0);
    assert.equal(h.state.empty, true);
    assert.equal(h.partial, false);
  });

  it('works on a detached HEAD and from a linked worktree', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': 'A=1\n' });
    git(repo, 'checkout', '-q', '--detach');
    commit(repo, { '.env': 'A=detached\n' });
    const wt = path.join(tempDir(), 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'wt-branch', wt, 'main');
    const fromWorktree = await discover(wt);
    assert.deepEqual(pairs(fromWorktree), ['.env=A=1', '.env=A=detached']);
    assert.equal(fromWorktree.state.detached, false);
    assert.equal((await discover(repo)).state.detached, true);
  });

  it('marks a shallow clone partial', async () => {
    const src = makeRepo();
    commit(src, { '.env': 'A=old\n' });
    commit(src, { 'x.txt': '1' });
    commit(src, { '.env': 'A=new\n' });
    const dir = tempDir();
    git(dir, 'clone', '-q', '--depth', '1', `file://${src}`, 'shallow');
    const h = await discover(path.join(dir, 'shallow'));
    assert.equal(h.partial, true);
    assert.match(h.partialReasons.join(), /shallow/);
    assert.deepEqual(pairs(h), ['.env=A=new']);
  });

  it('skips blobs a partial clone never downloaded, without trying to fetch them', async () => {
    const src = makeRepo();
    commit(src, { '.env': 'A=old\n' });
    commit(src, { '.env': 'A=new\n' });
    git(src, 'config', 'uploadpack.allowFilter', 'true');
    const dir = tempDir();
    git(dir, 'clone', '-q', '--filter=blob:none', `file://${src}`, 'partial');
    const clone = path.join(dir, 'partial');
    // If rekey tried to fetch, this hostile upload-pack would run (untrusted: it must not).
    const marker = path.join(dir, 'fetched');
    git(clone, 'config', 'remote.origin.uploadpack', `touch ${marker}; git-upload-pack`);
    const h = await discover(clone);
    assert.deepEqual(pairs(h), ['.env=<missing>', '.env=A=new']);
    assert.equal(h.partial, true);
    assert.match(h.partialReasons.join(), /partial clone: 1 historical/);
    assert.equal(existsSync(marker), false);
    // Control: plain git in the same clone does fetch the missing blob, running the hook.
    const missing = h.blobs.find((b) => b.unreadable === 'missing')?.blob ?? '';
    git(clone, 'cat-file', '-p', missing);
    assert.equal(existsSync(marker), true);
  });

  it('reuses its answer in-process until a ref moves', async () => {
    const repo = makeRepo();
    commit(repo, { '.env': 'A=1\n' });
    const runner = await GitRunner.open(repo, { trusted: false });
    const first = await discoverEnvHistory(runner);
    assert.equal(await discoverEnvHistory(runner), first);
    assert.notEqual(await discoverEnvHistory(runner, { cache: false }), first);
    commit(repo, { '.env': 'A=2\n' });
    const after = await discoverEnvHistory(runner);
    assert.notEqual(after, first);
    assert.equal(after.blobs.length, 2);
  });

  it('reports progress and stops when aborted', async () => {
    const repo = makeRepo();
    for (let i = 0; i < 5; i++) commit(repo, { '.env': `A=${i}\n` });
    const runner = await GitRunner.open(repo, { trusted: false });
    const seen: string[] = [];
    await discoverEnvHistory(runner, { onProgress: (p) => seen.push(p.phase), cache: false });
    assert.ok(seen.includes('commits') && seen.includes('blobs'));
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(discoverEnvHistory(runner, { signal: ac.signal, cache: false }), (err: Error) => err.name === 'AbortError');
  });
});
