import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { cli } from '../../helpers/cli';
import { assertNoCanary, CANARY, cleanup, cliBundle, commitAll, ENV_TEXT, git, gitEnv, makeRepo, tempDir, write } from '../core/hook/hookTestRepo';

const ZERO = '0'.repeat(40);

function repoWithEnv(): string {
  const repo = makeRepo();
  write(repo, { '.env': ENV_TEXT });
  commitAll(repo, { '.gitignore': '.env\n', 'README.md': '# app\n' }, 'init');
  return repo;
}

async function run(argv: string[], cwd: string, stdin?: string) {
  const r = await cli(argv, cwd, { env: gitEnv(), ...(stdin !== undefined ? { stdin } : {}) });
  assertNoCanary(r.stdout + r.stderr);
  return r;
}

describe('cli/hook', function () {
  this.timeout(30_000);
  after(cleanup);

  it('rejects bad usage with exit 2 and one line', async () => {
    const dir = tempDir();
    for (const argv of [['hook'], ['hook', 'bogus'], ['hook', 'run'], ['hook', 'run', 'post-commit'], ['hook', 'install', 'extra'], ['hook', 'status', '--format', 'xml']]) {
      const r = await run(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    const help = await run(['hook', '--help'], dir);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /rekey hook install \[--pre-commit\] \[--pre-push\]/);
  });

  it('run pre-commit: exit 1 with the findings on stderr, JSON on request, exit 0 when clean', async () => {
    const repo = repoWithEnv();
    git(repo, 'add', '-f', '.env');
    const r = await run(['hook', 'run', 'pre-commit', '--repo', repo], tempDir());
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /commit blocked/);
    const j = await run(['hook', 'run', 'pre-commit', '--format', 'json'], repo);
    assert.equal(j.code, 1);
    const json = JSON.parse(j.stdout);
    assert.equal(json.version, 1);
    assert.equal(json.blocked, true);
    assert.deepEqual(json.findings.map((f: { key: string }) => f.key), ['STRIPE_SECRET_KEY', 'DATABASE_URL']);
    git(repo, 'restore', '--staged', '.env');
    write(repo, { 'src/t.ts': `const t = "${CANARY.github}";\n` });
    git(repo, 'add', 'src/t.ts');
    const warn = await run(['hook', 'run', 'pre-commit'], repo);
    assert.equal(warn.code, 0, 'a format-only token warns');
    assert.match(warn.stderr, /not blocking/);
    const strict = await run(['hook', 'run', 'pre-commit', '--block-format-secrets'], repo);
    assert.equal(strict.code, 1);
  });

  it('run pre-push: reads the refs on stdin, accepts the remote name and URL', async () => {
    const repo = repoWithEnv();
    const base = git(repo, 'rev-parse', 'HEAD');
    commitAll(repo, { 'config/.env.production': ENV_TEXT });
    const tip = git(repo, 'rev-parse', 'HEAD');
    const blocked = await run(['hook', 'run', 'pre-push', 'origin', 'git@example.com:x/y.git'], repo, `refs/heads/main ${tip} refs/heads/main ${base}\n`);
    assert.equal(blocked.code, 1);
    assert.match(blocked.stderr, /push blocked: 2 secrets in commits not yet on origin/);
    const deletion = await run(['hook', 'run', 'pre-push', 'origin', 'url'], repo, `(delete) ${ZERO} refs/heads/x ${tip}\n`);
    assert.equal(deletion.code, 0);
    assert.equal(deletion.stderr, '');
    const nothing = await run(['hook', 'run', 'pre-push', 'origin', 'url'], repo, '');
    assert.equal(nothing.code, 0);
  });

  it('run outside a repository stops the commit with an explanation (exit 2)', async () => {
    const r = await run(['hook', 'run', 'pre-commit'], tempDir());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /could not check the staged changes: .* is not inside a git repository/);
    assert.match(r.stderr, /git commit --no-verify/);
  });

  it('install, status, uninstall', async () => {
    const repo = makeRepo();
    let r = await run(['hook', 'install', '--pre-commit', '--cli', cliBundle()], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /installed the pre-commit hook: \.git\/hooks\/pre-commit/);
    r = await run(['hook', 'status', '--format', 'json'], repo);
    const s = JSON.parse(r.stdout);
    assert.equal(s.version, 1);
    assert.equal(s.protectedOnCommit, true);
    assert.equal(s.hooks[0].state, 'rekey');
    assert.equal(s.hooks[0].cliPath, cliBundle());
    assert.equal(s.hooks[1].state, 'absent');
    r = await run(['hook', 'status'], repo);
    assert.match(r.stdout, /^pre-commit: rekey; runs /m);
    r = await run(['hook', 'install', '--pre-commit', '--cli', cliBundle()], repo);
    assert.match(r.stdout, /already installed/);
    r = await run(['hook', 'uninstall'], repo);
    assert.match(r.stdout, /removed the pre-commit hook/);
    assert.match(r.stdout, /no rekey pre-push hook/);
    r = await run(['hook', 'install', '--cli', path.join(repo, 'missing.js')], repo);
    assert.equal(r.code, 2);
    r = await run(['hook', 'install'], tempDir());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not inside a git repository/);
  });

  it('prints the husky snippet instead of fighting husky', async () => {
    const repo = makeRepo();
    write(repo, { '.husky/pre-commit': 'npx lint-staged\n' });
    const r = await run(['hook', 'install'], repo);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /husky manages this repository's hooks: add this to \.husky\/pre-commit and \.husky\/pre-push/);
    assert.match(r.stdout, /npx --no-install rekey hook run pre-commit/);
  });
});
