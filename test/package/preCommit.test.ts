// .pre-commit-hooks.yaml, run by the real pre-commit framework (Debian's `pre-commit`) through
// `pre-commit try-repo`: it installs this repository as a Node package the way it installs a
// hook repository from a tag (npm install, npm pack with prepack's build, npm install -g), then
// runs the hook in a user's repository.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/shared';
import { assertNoCanary, cleanup, ENV_TEXT, git, gitEnv, makeRepo, tempDir, write } from '../unit/core/hook/hookTestRepo';
import { cleanEnv, run } from './artifacts';

describe('package/pre-commit framework', function () {
  this.timeout(600_000);
  after(cleanup);

  it('pre-commit try-repo installs the rekey hook and it blocks a staged .env with secrets', function () {
    const version = run('pre-commit', ['--version']);
    if (version.code !== 0) {
      // .ci/run installs Debian's pre-commit; elsewhere say why the test did not run.
      this.skip();
    }
    const repo = makeRepo('rekey-precommit-');
    write(repo, { '.env': ENV_TEXT, 'README.md': '# app\n' });
    git(repo, 'add', 'README.md');
    git(repo, 'add', '-f', '.env');
    const env = cleanEnv(gitEnv({ PRE_COMMIT_HOME: path.join(tempDir('rekey-precommit-home-'), 'cache'), PRE_COMMIT_COLOR: 'never' }));

    const blocked = run('pre-commit', ['try-repo', REPO_ROOT, 'rekey'], { cwd: repo, env, timeout: 540_000 });
    const out = blocked.stdout + blocked.stderr;
    assert.equal(blocked.code, 1, `expected the hook to fail:\n${out}`);
    assert.match(out, /rekey \(\.env secrets\)\.+Failed/);
    assert.match(out, /STRIPE_SECRET_KEY/);
    assert.match(out, /commit blocked/);
    assertNoCanary(out);

    // Same environment (cached by then), nothing secret staged: the hook passes.
    git(repo, 'rm', '-q', '--cached', '.env');
    const passed = run('pre-commit', ['try-repo', REPO_ROOT, 'rekey'], { cwd: repo, env, timeout: 540_000 });
    assert.equal(passed.code, 0, passed.stdout + passed.stderr);
    assert.match(passed.stdout, /rekey \(\.env secrets\)\.+Passed/);
  });
});
