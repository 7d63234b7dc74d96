import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { stateDir } from '../../../../src/core/state/stateDir';

describe('stateDir', () => {
  it('prefers $REKEY_STATE_DIR, then $XDG_STATE_HOME/rekey, then ~/.local/state/rekey', () => {
    assert.equal(stateDir({ REKEY_STATE_DIR: '/tmp/s', XDG_STATE_HOME: '/x' }, 'linux', '/home/u'), path.resolve('/tmp/s'));
    assert.equal(stateDir({ XDG_STATE_HOME: '/x' }, 'linux', '/home/u'), path.join('/x', 'rekey'));
    assert.equal(stateDir({}, 'darwin', '/Users/u'), path.join('/Users/u', '.local', 'state', 'rekey'));
  });

  it('ignores a relative $XDG_STATE_HOME, as the XDG spec requires', () => {
    assert.equal(stateDir({ XDG_STATE_HOME: 'rel/dir' }, 'linux', '/home/u'), path.join('/home/u', '.local', 'state', 'rekey'));
  });

  it('uses %LOCALAPPDATA%\\rekey on Windows', () => {
    assert.equal(stateDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\rekey');
    assert.equal(stateDir({}, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\rekey');
  });
});
