import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, copyFixture } from '../../helpers/cli';
import { git } from '../core/backup/gitRepo';

/*
 * Acceptance for issue 5, from seed 000: the dashboard's PROXYOS_SECRET was regenerated in .env,
 * the old value is in .env.backup, and src/auth.ts hands it to better-auth as `secret`. The
 * name says nothing about sessions; rekey must still call it session-signing and raise an error
 * explaining that every user is logged out.
 */
describe('seed 000: a regenerated signing secret logs everyone out', () => {
  const env = { REKEY_STATE_DIR: mkdtempSync(path.join(os.tmpdir(), 'rekey-state-')) };

  function workspace(): string {
    const dir = copyFixture('seed000');
    chmodSync(path.join(dir, '.env.backup'), 0o600);
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'dashboard');
    return dir;
  }

  it('rekey scan: changed-since-backup error, kind session-signing, explaining the logout', async () => {
    const dir = workspace();
    const r = await cli(['scan', '--format', 'json'], dir, { env });
    assert.equal(r.code, 1, 'an error finding fails the scan');
    const out = JSON.parse(r.stdout) as { findings: Array<Record<string, unknown>> };
    const changed = out.findings.filter((f) => f.rule === 'changed-since-backup');
    assert.equal(changed.length, 1, JSON.stringify(out.findings, null, 2));
    const f = changed[0]!;
    assert.equal(f.key, 'PROXYOS_SECRET');
    assert.equal(f.file, '.env');
    assert.equal(f.line, 4);
    assert.equal(f.severity, 'error');
    assert.equal(f.kind, 'session-signing');
    assert.equal(f.consumer, 'better-auth');
    assert.equal(f.consumerAt, 'src/auth.ts:7');
    assert.match(String(f.message), /PROXYOS_SECRET changed since the backup \.env\.backup/);
    assert.match(String(f.message), /better-auth receives it as its signing secret at src\/auth\.ts:7/);
    assert.match(String(f.message), /All existing sessions are now invalid and every user must log in again/);
    assert.match(String(f.message), /restoring the previous value restores their sessions/);
    assert.deepEqual(f.related, [{ file: '.env.backup', message: 'the previous value of PROXYOS_SECRET (in .env.backup)' }]);
    // The backup is private and ignored: no hygiene findings.
    assert.deepEqual(out.findings.filter((x) => String(x.rule).startsWith('backup-')), []);
  });

  it('the kind comes from the code: the same change is session-signing only while better-auth receives the key', async () => {
    // A name that says nothing about sessions (a token, by its name), so only the code can tell.
    const dir = workspace();
    const { rmSync, writeFileSync } = await import('node:fs');
    for (const f of ['.env', '.env.backup', 'src/auth.ts']) {
      writeFileSync(path.join(dir, f), readFileSync(path.join(dir, f), 'utf8').replaceAll('PROXYOS_SECRET', 'PROXYOS_TOKEN'));
    }
    const findings = async () =>
      (JSON.parse((await cli(['scan', '--format', 'json', '--fail-on', 'never'], dir, { env })).stdout) as { findings: Array<Record<string, unknown>> }).findings;
    const scan = async () => (await findings()).find((x) => x.rule === 'changed-since-backup' && x.key === 'PROXYOS_TOKEN');
    const withConsumer = await scan();
    assert.deepEqual([withConsumer?.kind, withConsumer?.severity], ['session-signing', 'error']);
    // Every finding about the key names the same kind, the inventory entry included.
    const inventory = (await findings()).find((x) => x.rule === 'secret' && x.key === 'PROXYOS_TOKEN' && x.file === '.env');
    assert.equal(inventory?.kind, 'session-signing');
    rmSync(path.join(dir, 'src', 'auth.ts'));
    git(dir, 'rm', '-q', '--cached', 'src/auth.ts');
    const without = await scan();
    assert.ok(without, 'still a changed secret');
    assert.notEqual(without.kind, 'session-signing');
    assert.equal(without.severity, 'warning');
  });

  it('rekey diff-backup explains it, and rekey restore puts the old value back', async () => {
    const dir = workspace();
    const diff = await cli(['diff-backup'], dir, { env });
    assert.equal(diff.code, 1);
    assert.match(diff.stdout, /~ PROXYOS_SECRET {2}value differs \([0-9a-f]{8} -> [0-9a-f]{8}\) {2}\[session-signing, error\]/);
    assert.match(diff.stdout, /used by better-auth as its signing secret at src\/auth\.ts:7/);
    const restore = await cli(['restore', 'PROXYOS_SECRET', '--from', '.env.backup'], dir, { env });
    assert.equal(restore.code, 0, restore.stderr);
    assert.equal(readFileSync(path.join(dir, '.env'), 'utf8'), readFileSync(path.join(dir, '.env.backup'), 'utf8'));
    assert.equal((await cli(['diff-backup', '--backup', '.env.backup'], dir, { env })).code, 0);
    // After the restore the scan is clean of the change (the restored value is the backup's).
    const out = JSON.parse((await cli(['scan', '--format', 'json'], dir, { env })).stdout) as { findings: Array<Record<string, unknown>> };
    assert.deepEqual(out.findings.filter((f) => f.rule === 'changed-since-backup'), []);
  });
});
