import * as assert from 'node:assert/strict';
import { mkdtempSync, utimesSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../helpers/cli';
import { makeWorkspace } from '../core/backup/gitRepo';

const env = { REKEY_STATE_DIR: mkdtempSync(path.join(os.tmpdir(), 'rekey-state-')) };

interface DiffJson {
  version: number;
  file: string;
  backup: string;
  changes: Array<{ key: string; change: string; secret: boolean; kind: string | null; severity: string | null; impact: string | null; line: number | null; backupLine: number | null; fingerprints?: { live: string; backup: string } }>;
}

describe('rekey diff-backup', () => {
  it('lists changed, added and removed keys with kinds and impacts, as JSON', async () => {
    const dir = makeWorkspace({
      '.env': 'PORT=3001\n# rekey: kind=encryption-key\nAPP_ENCRYPTION_KEY=Kx2v9Lr4Xz7Qp5Wm1Tb8Ny3Gd6Fs0Ja\nNEW_FLAG=1\n',
      '.env.backup': 'PORT=3000\nAPP_ENCRYPTION_KEY=Old2v9Lr4Xz7Qp5Wm1Tb8Ny3Gd6Fs0J\nSMTP_PASSWORD=Mq8Zr3Vx6Tn1Lp4Wk9Hb2Jd5Gf7Sc0A\n',
    });
    const r = await cli(['diff-backup', '--format', 'json'], dir, { env });
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as DiffJson;
    assert.equal(out.version, 1);
    assert.deepEqual([out.file, out.backup], ['.env', '.env.backup']);
    const by = new Map(out.changes.map((c) => [c.key, c]));
    assert.deepEqual([...by.keys()], ['PORT', 'APP_ENCRYPTION_KEY', 'NEW_FLAG', 'SMTP_PASSWORD']);
    const enc = by.get('APP_ENCRYPTION_KEY')!;
    assert.deepEqual([enc.change, enc.kind, enc.severity, enc.line, enc.backupLine], ['changed', 'encryption-key', 'error', 3, 2]);
    assert.match(enc.impact ?? '', /cannot be decrypted until it is re-encrypted/);
    assert.match(enc.fingerprints?.live ?? '', /^[0-9a-f]{8}$/);
    assert.notEqual(enc.fingerprints?.live, enc.fingerprints?.backup);
    assert.deepEqual([by.get('PORT')?.secret, by.get('PORT')?.kind], [false, null]);
    assert.deepEqual([by.get('NEW_FLAG')?.change, by.get('SMTP_PASSWORD')?.change, by.get('SMTP_PASSWORD')?.kind], ['added', 'removed', 'smtp-password']);
  });

  it('picks the most recent backup by default, or the one given', async () => {
    const dir = makeWorkspace({ '.env.prod': 'A=2\n', '.env.prod.bak': 'A=1\n', '.env.prod.2026-01-01': 'A=2\n' });
    utimesSync(path.join(dir, '.env.prod.2026-01-01'), new Date('2026-01-01'), new Date('2026-01-01'));
    const text = await cli(['diff-backup', '.env.prod'], dir, { env });
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^\.env\.prod compared with \.env\.prod\.bak:$/m);
    assert.match(text.stdout, /^~ A {2}value differs \([0-9a-f]{8} -> [0-9a-f]{8}\)$/m);
    const same = await cli(['diff-backup', '.env.prod', '--backup', '.env.prod.2026-01-01'], dir, { env });
    assert.equal(same.code, 0);
    assert.match(same.stdout, /hold the same keys and values/);
  });

  it('fails with one line when there is no backup or no file', async () => {
    const dir = makeWorkspace({ '.env': 'A=1\n' });
    for (const argv of [['diff-backup'], ['diff-backup', 'missing.env'], ['diff-backup', '--backup', 'nope'], ['diff-backup', 'a', 'b']]) {
      const r = await cli(argv, dir, { env });
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
