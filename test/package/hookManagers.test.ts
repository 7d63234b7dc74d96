// The husky and lefthook snippets `rekey hook install --write` adds, run by the real hook
// managers (from npm, as a project installs them) in a real repository, with rekey-cli
// installed from the tarball: a staged .env with secrets must not be committed.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { assertNoCanary, cleanup, ENV_TEXT, git, gitEnv, tempDir, write } from '../unit/core/hook/hookTestRepo';
import { cleanEnv, cliTarball, ok, run } from './artifacts';

/** Versions the snippets are tested with (husky 9, lefthook 2: the current majors). */
const HUSKY = 'husky@9.1.7';
const LEFTHOOK = 'lefthook@2.2.2';

function project(manager: string): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir(`rekey-${manager}-`);
  const env = cleanEnv(gitEnv());
  git(dir, 'init', '-q');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  write(dir, { '.gitignore': 'node_modules/\n', '.env': ENV_TEXT });
  ok('npm', ['install', '--no-audit', '--no-fund', '-D', cliTarball(), manager === 'husky' ? HUSKY : LEFTHOOK], { cwd: dir, env });
  return { dir, env };
}

function expectBlocked(dir: string, env: NodeJS.ProcessEnv): void {
  git(dir, 'add', '.gitignore', 'package.json');
  git(dir, 'add', '-f', '.env');
  const commit = run('git', ['commit', '-q', '-m', 'add env'], { cwd: dir, env });
  const out = commit.stdout + commit.stderr;
  assert.notEqual(commit.code, 0, `the commit went through:\n${out}`);
  assert.match(out, /STRIPE_SECRET_KEY/);
  assertNoCanary(out);
  git(dir, 'rm', '-q', '--cached', '.env');
  const clean = run('git', ['commit', '-q', '-m', 'init'], { cwd: dir, env });
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
}

describe('package/hook managers', function () {
  this.timeout(300_000);
  after(cleanup);

  it(`husky (${HUSKY}): the snippet rekey writes blocks the commit`, () => {
    const { dir, env } = project('husky');
    ok('npx', ['--no-install', 'husky', 'init'], { cwd: dir, env });
    const install = ok('npx', ['--no-install', 'rekey', 'hook', 'install', '--write'], { cwd: dir, env });
    assert.match(install.stdout, /husky/);
    const hook = readFileSync(path.join(dir, '.husky', 'pre-commit'), 'utf8');
    assert.match(hook, /rekey hook run pre-commit/);
    // husky init's own example runs `npm test`; this project has none.
    writeFileSync(path.join(dir, '.husky', 'pre-commit'), hook.replace(/^npm test\n/m, ''));
    expectBlocked(dir, env);
  });

  it(`lefthook (${LEFTHOOK}): the snippet rekey writes blocks the commit`, () => {
    const { dir, env } = project('lefthook');
    if (!existsSync(path.join(dir, 'lefthook.yml'))) writeFileSync(path.join(dir, 'lefthook.yml'), '# lefthook\n');
    const install = ok('npx', ['--no-install', 'rekey', 'hook', 'install', '--write'], { cwd: dir, env });
    assert.match(install.stdout, /lefthook/);
    assert.match(readFileSync(path.join(dir, 'lefthook.yml'), 'utf8'), /rekey hook run pre-commit/);
    ok('npx', ['--no-install', 'lefthook', 'install'], { cwd: dir, env });
    expectBlocked(dir, env);
  });
});
