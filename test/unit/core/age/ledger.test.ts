import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ledger, LEDGER_FILE } from '../../../../src/core/age/ledger';
import { StateError } from '../../../../src/core/state/fingerprint';

const CANARY = 'CANARY-ledger-5e4d3c2b1a';
const d = (s: string): Date => new Date(s);

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'rekey-ledger-'));
}

describe('Ledger', () => {
  it('records runs of values by keyed fingerprint, never the value, in a private file', async () => {
    const dir = tmp();
    const l = await Ledger.open(dir);
    const fp = l.fingerprint(CANARY)!;
    l.observe('/w/.env', 'K', fp, d('2026-01-01'));
    l.observe('/w/.env', 'K', fp, d('2026-01-05'));
    await l.save();
    const file = path.join(dir, LEDGER_FILE);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('CANARY'));
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
    const again = await Ledger.open(dir);
    assert.deepEqual(again.history('/w/.env', 'K'), [{ fp, since: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-05T00:00:00.000Z' }]);
  });

  it('starts a new run with the previous sighting when the value changes, and on recorded rotations', async () => {
    const l = await Ledger.open(tmp());
    const a = l.fingerprint('a')!;
    const b = l.fingerprint('b')!;
    l.observe('/w/.env', 'K', a, d('2026-01-01'));
    l.observe('/w/.env', 'K', a, d('2026-02-01'));
    l.observe('/w/.env', 'K', b, d('2026-02-03'));
    await l.recordRotation('/w/.env', 'K', a, d('2026-03-01'));
    assert.deepEqual(l.history('/w/.env', 'K').map((r) => `${r.fp === a ? 'a' : 'b'} ${r.since.slice(0, 10)} prev=${r.previousSeen?.slice(0, 10) ?? '-'}${r.rotated ? ' rotated' : ''}`), [
      'a 2026-01-01 prev=-',
      'b 2026-02-03 prev=2026-02-01',
      'a 2026-03-01 prev=2026-02-03 rotated',
    ]);
  });

  it('merges with what another process saved meanwhile', async () => {
    const dir = tmp();
    const one = await Ledger.open(dir);
    const two = await Ledger.open(dir);
    one.observe('/w/.env', 'A', one.fingerprint('x')!, d('2026-01-01'));
    two.observe('/w/.env', 'B', two.fingerprint('y')!, d('2026-01-02'));
    await one.save();
    await two.save();
    const merged = await Ledger.open(dir);
    assert.equal(merged.history('/w/.env', 'A').length, 1);
    assert.equal(merged.history('/w/.env', 'B').length, 1);
  });

  it('read-only: creates nothing, saves nothing, and refuses to record a rotation', async () => {
    const dir = path.join(tmp(), 'state');
    const l = await Ledger.open(dir, { readOnly: true });
    assert.equal(l.fingerprint('x'), undefined);
    await l.save();
    assert.equal(existsSync(dir), false);
    const dir2 = tmp();
    const w = await Ledger.open(dir2);
    w.observe('/w/.env', 'K', w.fingerprint('v')!, d('2026-01-01'));
    await w.save();
    const r = await Ledger.open(dir2, { readOnly: true });
    assert.equal(r.history('/w/.env', 'K').length, 1, 'reads an existing ledger');
    r.observe('/w/.env', 'K', r.fingerprint('w')!, d('2026-02-01'));
    await r.save();
    assert.equal((await Ledger.open(dir2)).history('/w/.env', 'K').length, 1, 'nothing written');
    await assert.rejects(r.recordRotation('/w/.env', 'K', 'ab'.repeat(8), d('2026-02-01')), StateError);
  });

  it('rejects a corrupt ledger with an actionable StateError and drops malformed runs', async () => {
    const dir = tmp();
    await Ledger.open(dir);
    writeFileSync(path.join(dir, LEDGER_FILE), '{nope');
    await assert.rejects(Ledger.open(dir), (e: unknown) => e instanceof StateError && /move it away/.test(e.message));
    writeFileSync(path.join(dir, LEDGER_FILE), JSON.stringify({ version: 1, files: { '/w/.env': { K: [{ fp: 'zz', since: 'x' }, { fp: 'abcdef0123456789', since: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:00:00.000Z' }] } } }));
    assert.equal((await Ledger.open(dir)).history('/w/.env', 'K').length, 1);
  });
});
