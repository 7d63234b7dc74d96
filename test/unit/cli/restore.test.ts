import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../helpers/cli';
import { makeWorkspace } from '../core/backup/gitRepo';

const env = { REKEY_STATE_DIR: mkdtempSync(path.join(os.tmpdir(), 'rekey-state-')) };

describe('rekey restore', () => {
  it('restores one key in the file the backup backs up, keeping a private copy and the mode', async () => {
    const dir = makeWorkspace({ '.env.prod': 'export JWT_SECRET="new" # signs tokens\r\nPORT=1\r\n', '.env.prod.bak': "JWT_SECRET='old'\nPORT=2\n" });
    if (process.platform !== 'win32') chmodSync(path.join(dir, '.env.prod'), 0o640);
    const r = await cli(['restore', 'JWT_SECRET', '--from', '.env.prod.bak'], dir, { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Restored JWT_SECRET in .env.prod from .env.prod.bak.\nThe previous .env.prod was saved as .env.prod.before-restore (mode 600); delete it with `rekey retire` once the restored value works everywhere.\n');
    assert.equal(readFileSync(path.join(dir, '.env.prod'), 'utf8'), 'export JWT_SECRET="old" # signs tokens\r\nPORT=1\r\n');
    assert.match(readFileSync(path.join(dir, '.env.prod.before-restore'), 'utf8'), /^# rekey: backup before restoring JWT_SECRET on [^\r\n]+\(rekey retire\)\r\nexport JWT_SECRET="new" # signs tokens\r\nPORT=1\r\n$/);
    if (process.platform !== 'win32') {
      assert.equal(statSync(path.join(dir, '.env.prod')).mode & 0o777, 0o640);
      assert.equal(statSync(path.join(dir, '.env.prod.before-restore')).mode & 0o777, 0o600);
    }
    const again = await cli(['restore', 'JWT_SECRET', '--from', '.env.prod.bak'], dir, { env });
    assert.match(again.stdout, /already has the value it has in \.env\.prod\.bak; nothing to change/);
  });

  it('--dry-run writes nothing; --file names the target', async () => {
    const dir = makeWorkspace({ 'config/.env': 'K=new\n', 'backups/2026-08-01/.env': 'K=old\n' });
    const dry = await cli(['restore', 'K', '--from', 'backups/2026-08-01/.env', '--file', 'config/.env', '--dry-run'], dir, { env });
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(dry.stdout, 'Would restore K in config/.env from backups/2026-08-01/.env.\n');
    assert.equal(readFileSync(path.join(dir, 'config/.env'), 'utf8'), 'K=new\n');
    const real = await cli(['restore', 'K', '--from', 'backups/2026-08-01/.env', '--file', 'config/.env'], dir, { env });
    assert.equal(real.code, 0);
    assert.equal(readFileSync(path.join(dir, 'config/.env'), 'utf8'), 'K=old\n');
  });

  it('fails with one line and changes nothing on bad input', async () => {
    const dir = makeWorkspace({ '.env': 'K=new\n', '.env.bak': 'OTHER=1\n', 'backup.txt': 'K=old\n' });
    const cases: Array<[string[], RegExp]> = [
      [['restore', 'K', '--from', '.env.bak'], /the backup does not define K/],
      [['restore', 'K'], /--from BACKUP is required/],
      [['restore', '--from', '.env.bak'], /expected exactly one KEY/],
      [['restore', 'K', '--from', 'missing.bak'], /backup not found/],
      [['restore', 'K', '--from', 'backup.txt'], /cannot tell which file backup\.txt backs up; pass --file FILE/],
      [['restore', 'K', '--from', '.env.bak', '--file', '.env.bak'], /same file/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(argv, dir, { env });
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.match(r.stderr, message);
    }
    assert.equal(readFileSync(path.join(dir, '.env'), 'utf8'), 'K=new\n');
  });
});
