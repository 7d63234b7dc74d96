import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { gitFileStates } from '../../../../src/core/backup/backupGit';
import { git, makeWorkspace } from './gitRepo';

describe('gitFileStates', () => {
  it('tells tracked, ignored, not-ignored and outside files apart in a real repository', async () => {
    const dir = makeWorkspace({ '.gitignore': '.env\n.env.old\nq*/\n', '.env': 'A=1\n', '.env.backup': 'A=0\n', '.env.bak': 'A=0\n', '.env.old': 'A=0\n', 'sub dir/.env.save': 'A=0\n', 'q"uote/.env.bak': 'A=0\n' }, { git: true });
    git(dir, 'add', '-f', '.env.backup', '.gitignore');
    git(dir, 'commit', '-qm', 'oops');
    const outside = makeWorkspace({ '.env.bak': 'A=0\n' });
    const files = ['.env.backup', '.env.bak', '.env.old', 'sub dir/.env.save', 'q"uote/.env.bak'].map((f) => path.join(dir, f));
    const states = await gitFileStates([...files, path.join(outside, '.env.bak')]);
    assert.deepEqual(
      [...states].map(([f, s]) => `${path.basename(f)}=${s}`).sort(),
      ['.env.backup=tracked', '.env.bak=not-ignored', '.env.bak=outside', '.env.bak=ignored', '.env.old=ignored', '.env.save=not-ignored'].sort(),
    );
  });

  it('does not start the repository\'s fsmonitor program', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = makeWorkspace({ '.env.bak': 'A=0\n', 'hook.sh': '#!/bin/sh\ntouch "$(dirname "$0")/PWNED"\n' }, { git: true });
    git(dir, 'config', 'core.fsmonitor', path.join(dir, 'hook.sh'));
    const { chmodSync, existsSync } = await import('node:fs');
    chmodSync(path.join(dir, 'hook.sh'), 0o755);
    await gitFileStates([path.join(dir, '.env.bak')]);
    assert.equal(existsSync(path.join(dir, 'PWNED')), false);
  });
});
