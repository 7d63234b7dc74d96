import * as assert from 'node:assert/strict';
import { gitEnvironment } from '../../../../src/core/git/safeConfig';

describe('core/git/safeConfig gitEnvironment', () => {
  it('drops git and program variables, keeps the rest, adds the fixed ones', () => {
    const env = gitEnvironment({ PATH: '/bin', GIT_DIR: '/x', git_pager: 'less', EDITOR: 'vi', HOME: '/h' }, { GIT_INDEX_FILE: '/i' });
    assert.equal(env.PATH, '/bin');
    assert.equal(env.HOME, '/h');
    assert.equal(env.GIT_DIR, undefined);
    assert.equal(env.git_pager, undefined);
    assert.equal(env.EDITOR, undefined);
    assert.equal(env.GIT_INDEX_FILE, '/i');
    assert.equal(env.GIT_PAGER, 'cat');
    assert.equal(env.GIT_TERMINAL_PROMPT, '0');
  });

  it('sees every change to a mutable environment (process.env), between calls', () => {
    const name = 'REKEY_TEST_GITENV_PROBE';
    try {
      process.env[name] = 'one';
      assert.equal(gitEnvironment(process.env)[name], 'one');
      process.env[name] = 'two';
      assert.equal(gitEnvironment(process.env)[name], 'two');
      process.env.GIT_EXTERNAL_DIFF = 'evil';
      assert.equal(gitEnvironment(process.env).GIT_EXTERNAL_DIFF, undefined);
    } finally {
      delete process.env[name];
      delete process.env.GIT_EXTERNAL_DIFF;
    }
    const plain: NodeJS.ProcessEnv = { A: '1' };
    assert.equal(gitEnvironment(plain).A, '1');
    plain.A = '2';
    assert.equal(gitEnvironment(plain).A, '2');
  });

  it('computes a frozen environment once per frozen keep, and the result cannot be changed', () => {
    const base = Object.freeze({ A: '1', GIT_DIR: '/x' });
    const keep = Object.freeze({ GIT_INDEX_FILE: '/i' });
    const first = gitEnvironment(base, keep);
    assert.equal(gitEnvironment(base, keep), first);
    assert.ok(Object.isFrozen(first));
    const other = gitEnvironment(base, Object.freeze({ GIT_INDEX_FILE: '/j' }));
    assert.notEqual(other, first);
    assert.equal(other.GIT_INDEX_FILE, '/j');
    assert.equal(first.GIT_INDEX_FILE, '/i');
    assert.equal(gitEnvironment(base).GIT_INDEX_FILE, undefined);
    assert.equal(first.GIT_DIR, undefined);
  });
});
