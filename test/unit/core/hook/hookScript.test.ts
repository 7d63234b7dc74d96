import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { installHooks } from '../../../../src/core/hook/install';
import { assertNoCanary, CANARY, cleanup, cliBundle, commitAll, ENV_TEXT, fastCommits, git, gitEnv, gitRun, makeRepo, tempDir, write } from './hookTestRepo';

/*
 * The installed hooks, run by git itself: real `git commit` and `git push` to a local bare
 * remote, with the CLI bundled from the current sources.
 */

function install(repo: string, extra: Partial<Parameters<typeof installHooks>[1]> = {}) {
  return installHooks(repo, { version: 'test', cliPath: cliBundle(), nodePath: process.execPath, env: gitEnv(), ...extra });
}

function commit(repo: string, args: string[] = [], env?: NodeJS.ProcessEnv) {
  const r = gitRun(repo, ['commit', '-q', '-m', 'test', ...args], { env });
  assertNoCanary(r.stdout + r.stderr);
  return r;
}

function withRemote(): { repo: string; remote: string } {
  const remote = tempDir('rekey-hook-remote-');
  git(remote, 'init', '-q', '--bare');
  const repo = makeRepo();
  write(repo, { '.env': ENV_TEXT });
  commitAll(repo, { '.gitignore': '.env\n', 'README.md': '# app\n' }, 'init');
  git(repo, 'remote', 'add', 'origin', remote);
  git(repo, 'push', '-q', 'origin', 'main');
  return { repo, remote };
}

describe('core/hook/hookScript: real git commit and push through the installed hooks', function () {
  this.timeout(60_000);
  before(() => cliBundle());
  after(cleanup);

  it('blocks git commit of a staged .env and lets a clean commit through', async () => {
    const { repo } = withRemote();
    await install(repo);
    git(repo, 'add', '-f', '.env');
    const blocked = commit(repo);
    assert.equal(blocked.status, 1, blocked.stderr);
    assert.match(blocked.stderr, /commit blocked: 2 secrets/);
    assert.match(blocked.stderr, /STRIPE_SECRET_KEY holds a secret \(API token\)/, 'the kind in its one spelling');
    git(repo, 'restore', '--staged', '.env');
    write(repo, { 'src/ok.ts': 'export const ok = true;\n' });
    git(repo, 'add', 'src/ok.ts');
    const ok = commit(repo);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stderr, '');
  });

  it('checks what git commit -a and git commit <path> really commit', async () => {
    const { repo } = withRemote();
    commitAll(repo, { 'src/a.ts': 'a\n', 'src/b.ts': 'b\n' });
    await install(repo);
    write(repo, { 'src/a.ts': `const k = "${CANARY.stripe}";\n` });
    let r = commit(repo, ['-a']);
    assert.equal(r.status, 1, 'commit -a stages the secret in a temporary index');
    assert.match(r.stderr, /src\/a\.ts[\s\S]*line 1: the value of STRIPE_SECRET_KEY/);
    write(repo, { 'src/b.ts': 'b2\n' });
    git(repo, 'add', 'src/b.ts');
    r = commit(repo, ['--', 'src/a.ts']);
    assert.equal(r.status, 1, 'commit <path> takes the work-tree version of that path');
    r = commit(repo, ['--', 'src/b.ts']);
    assert.equal(r.status, 0, `${r.stderr}: only src/b.ts is committed; the secret in src/a.ts is not`);
  });

  it('runs a chained hook first, stops when it fails, and still checks after it', async () => {
    const { repo } = withRemote();
    const hooks = path.join(repo, '.git', 'hooks');
    write(hooks, { 'pre-commit': '#!/bin/sh\necho ran >> .git/chained-marker\nexit "${FAIL:-0}"\n' });
    chmodSync(path.join(hooks, 'pre-commit'), 0o755);
    await install(repo);
    write(repo, { 'x.txt': 'x\n' });
    git(repo, 'add', 'x.txt');
    const failing = commit(repo, [], gitEnv({ FAIL: '3' }));
    assert.equal(failing.status, 1, 'git reports a failed hook as exit 1');
    assert.equal(readFileSync(path.join(repo, '.git', 'chained-marker'), 'utf8'), 'ran\n');
    const ok = commit(repo);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(readFileSync(path.join(repo, '.git', 'chained-marker'), 'utf8'), 'ran\nran\n');
    git(repo, 'add', '-f', '.env');
    assert.equal(commit(repo).status, 1, 'rekey still runs after the chained hook');
    assert.equal(readFileSync(path.join(repo, '.git', 'chained-marker'), 'utf8'), 'ran\nran\nran\n');
  });

  it('works with core.hooksPath and in a linked worktree', async () => {
    const { repo } = withRemote();
    git(repo, 'config', 'core.hooksPath', 'githooks');
    await install(repo);
    assert.ok(existsSync(path.join(repo, 'githooks', 'pre-commit')));
    git(repo, 'add', '-f', '.env');
    assert.equal(commit(repo).status, 1);
    git(repo, 'restore', '--staged', '.env');
    git(repo, 'config', '--unset', 'core.hooksPath');

    await install(repo);
    const wt = path.join(tempDir(), 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'side', wt);
    // A worktree has its own (ignored) .env: its values are the ones searched for there.
    write(wt, { '.env': ENV_TEXT, 'leak.ts': `const db = "postgres://app:${CANARY.dbPassword}@db.internal:5432/app";\n` });
    git(wt, 'add', 'leak.ts');
    const r = commit(wt);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /leak\.ts[\s\S]*the value of DATABASE_URL/);
  });

  it('blocks a push of a new branch whose commits add a .env, with the chained pre-push still fed the refs', async () => {
    const { repo } = withRemote();
    const hooks = path.join(repo, '.git', 'hooks');
    write(hooks, { 'pre-push': '#!/bin/sh\necho "$1 $2" > .git/chained-push\ncat >> .git/chained-push\n' });
    chmodSync(path.join(hooks, 'pre-push'), 0o755);
    await install(repo);
    git(repo, 'checkout', '-q', '-b', 'feature');
    commitAll(repo, { '.env': ENV_TEXT }, 'oops');
    const r = gitRun(repo, ['push', '-q', 'origin', 'feature']);
    assertNoCanary(r.stdout + r.stderr);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /push blocked: 2 secrets in commits not yet on origin/);
    const seen = readFileSync(path.join(repo, '.git', 'chained-push'), 'utf8');
    assert.match(seen, /^origin \S+\nrefs\/heads\/feature [0-9a-f]{40} refs\/heads\/feature 0{40}\n$/);
    assert.equal(gitRun(repo, ['ls-remote', '--heads', 'origin', 'feature']).stdout, '', 'nothing reached the remote');
  });

  it('lets remote branch deletions, pushes of nothing new and a clean 100-commit push through', async () => {
    const { repo } = withRemote();
    git(repo, 'push', '-q', '--no-verify', 'origin', 'main:old');
    await install(repo);
    let r = gitRun(repo, ['push', '-q', 'origin', ':old']);
    assert.equal(r.status, 0, r.stderr);
    r = gitRun(repo, ['push', '-q', 'origin', 'main']);
    assert.equal(r.status, 0, r.stderr);
    fastCommits(repo, 'main', 100, (i) => ({ [`src/f${i % 7}.ts`]: `export const v = ${i};\n` }));
    const started = Date.now();
    r = gitRun(repo, ['push', '-q', 'origin', 'main']);
    const took = Date.now() - started;
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(took < 15_000, `push took ${took} ms`);
  });

  it('says clearly that it cannot find rekey, and fails, rather than passing silently', async () => {
    const { repo } = withRemote();
    await install(repo, { cliPath: path.join(tempDir(), 'gone', 'cli.js') });
    const bin = tempDir('rekey-hook-bin-');
    symlinkSync(spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim(), path.join(bin, 'git'));
    write(repo, { 'y.txt': 'y\n' });
    git(repo, 'add', 'y.txt');
    const gitPath = gitRun(repo, ['--exec-path']).stdout.trim();
    const env = gitEnv({ PATH: `${bin}${path.delimiter}${gitPath}` });
    const r = commit(repo, [], env);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /rekey hook: cannot find the rekey CLI/);
    assert.match(r.stderr, /npm i -D rekey-cli/);
    assert.match(r.stderr, /rekey hook uninstall/);
    // The project's own copy is the next place the hook looks.
    mkdirSync(path.join(repo, 'node_modules', '.bin'), { recursive: true });
    write(repo, { 'node_modules/.bin/rekey': `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliBundle())} "$@"\n` });
    chmodSync(path.join(repo, 'node_modules', '.bin', 'rekey'), 0o755);
    const found = commit(repo, [], env);
    assert.equal(found.status, 0, found.stderr);
  });

  it('runs the hooks\' entry point beside the CLI when there is one, the CLI itself otherwise', async () => {
    const { repo } = withRemote();
    const dir = tempDir('rekey-hook-entry-');
    copyFileSync(cliBundle(), path.join(dir, 'cli.js'));
    // cli.js loads the bundle beside it.
    copyFileSync(path.join(path.dirname(cliBundle()), 'cli.bundle.js'), path.join(dir, 'cli.bundle.js'));
    cpSync(path.join(path.dirname(cliBundle()), 'vendor'), path.join(dir, 'vendor'), { recursive: true });
    const mark = path.join(dir, 'ran');
    // A stand-in hook.js that records its arguments and blocks, so the test sees which one ran.
    writeFileSync(path.join(dir, 'hook.js'), `require('fs').writeFileSync(${JSON.stringify(mark)}, process.argv.slice(2).join(' ')); process.exit(1);\n`);
    await install(repo, { cliPath: path.join(dir, 'cli.js') });
    write(repo, { 'z.txt': 'z\n' });
    git(repo, 'add', 'z.txt');
    assert.equal(commit(repo).status, 1);
    assert.equal(readFileSync(mark, 'utf8'), 'hook run pre-commit');
    rmSync(path.join(dir, 'hook.js'));
    const r = commit(repo);
    assert.equal(r.status, 0, r.stderr);
  });

  it('the real hook.js blocks a staged .env as the CLI does', async () => {
    const { repo } = withRemote();
    await install(repo);
    assert.ok(existsSync(path.join(path.dirname(cliBundle()), 'hook.js')), 'esbuild.js writes hook.js beside cli.js');
    git(repo, 'add', '-f', '.env');
    const viaHook = commit(repo);
    assert.equal(viaHook.status, 1, viaHook.stderr);
    const viaCli = spawnSync(process.execPath, [cliBundle(), 'hook', 'run', 'pre-commit'], { cwd: repo, env: gitEnv(), encoding: 'utf8' });
    assert.equal(viaCli.status, 1);
    assert.equal(viaHook.stderr, viaCli.stderr, 'same report, word for word');
    const usage = spawnSync(process.execPath, [path.join(path.dirname(cliBundle()), 'hook.js'), 'scan'], { cwd: repo, env: gitEnv(), encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /hook\.js runs git hooks only/);
  });
});
