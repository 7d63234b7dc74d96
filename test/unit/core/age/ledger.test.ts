import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ledger, LEDGER_FILE, rotationStageOf } from '../../../../src/core/age/ledger';
import { StateError } from '../../../../src/core/state/fingerprint';
import { bundleScript } from '../../../helpers/bundleScript';

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

describe('Ledger: keys that are Object.prototype names', () => {
  for (const key of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
    it(`records, saves and reads back ${key}`, async () => {
      const dir = tmp();
      const l = await Ledger.open(dir);
      assert.deepEqual(l.history('/w/.env', key), [], 'nothing is inherited');
      const fp = l.fingerprint('v')!;
      l.observe('/w/.env', key, fp, d('2026-01-01'));
      await l.recordRotation('/w/.env', key, fp, d('2026-02-01'));
      const again = await Ledger.open(dir);
      assert.equal(again.history('/w/.env', key).length, 1);
      assert.equal(again.history('/w/.env', key)[0]?.rotated, true);
      assert.deepEqual(again.history('/w/.env', 'other'), []);
      assert.equal(Object.getPrototypeOf({}), Object.prototype, 'the global prototype is untouched');
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }
});

describe('Ledger: rotation stages', () => {
  it('applied → verified → retired, kept across reopen; only the rotated current value is verified', async () => {
    const dir = tmp();
    const l = await Ledger.open(dir);
    const a = l.fingerprint('old-value')!;
    const b = l.fingerprint('new-value')!;
    l.observe('/w/.env', 'K', a, d('2026-01-01'));
    assert.equal(await l.recordVerified('/w/.env', 'K', a, d('2026-01-02')), false, 'a value rekey did not rotate to is not a verified rotation');
    await l.recordRotation('/w/.env', 'K', b, d('2026-02-01T10:00:00Z'));
    assert.equal(rotationStageOf(l.history('/w/.env', 'K').at(-1)!), 'applied');
    assert.equal(await l.recordVerified('/w/.env', 'K', a, d('2026-02-02')), false, 'the old value connecting verifies nothing');
    assert.equal(await l.recordVerified('/w/.env', 'K', b, d('2026-02-02')), true);
    assert.equal(await l.recordVerified('/w/.env', 'K', b, d('2026-02-05')), false, 'the first success is kept');
    let again = await Ledger.open(dir);
    let last = again.history('/w/.env', 'K').at(-1)!;
    assert.equal(rotationStageOf(last), 'verified');
    assert.equal(last.verified, '2026-02-02T00:00:00.000Z');
    // The backup header is written moments before the ledger record: the same rotation.
    assert.equal(await again.recordRetired('/w/.env', 'K', d('2026-02-01T09:59:59Z'), d('2026-02-03')), true);
    again = await Ledger.open(dir);
    last = again.history('/w/.env', 'K').at(-1)!;
    assert.deepEqual({ stage: rotationStageOf(last), retired: last.retired, verified: last.verified }, { stage: 'retired', retired: '2026-02-03T00:00:00.000Z', verified: '2026-02-02T00:00:00.000Z' });
    assert.equal(rotationStageOf(again.history('/w/.env', 'K')[0]!), undefined, 'an observed value has no stage');
    assert.ok(!readFileSync(path.join(dir, LEDGER_FILE), 'utf8').includes('new-value'));
  });

  it('a backup of an older rotation does not retire a newer one; a stage survives a writer that never saw it', async () => {
    const dir = tmp();
    const l = await Ledger.open(dir);
    const fp = l.fingerprint('v2')!;
    await l.recordRotation('/w/.env', 'K', fp, d('2026-03-01'));
    const stale = await Ledger.open(dir); // opened before the verification below
    assert.equal(await l.recordRetired('/w/.env', 'K', d('2026-04-01'), d('2026-04-02')), false, 'no rotation on or after the backup date');
    assert.equal(await l.recordVerified('/w/.env', 'K', fp, d('2026-03-02')), true);
    stale.observe('/w/.env', 'K', fp, d('2026-03-05'));
    await stale.save();
    const last = (await Ledger.open(dir)).history('/w/.env', 'K').at(-1)!;
    assert.equal(last.verified, '2026-03-02T00:00:00.000Z');
    assert.equal(last.lastSeen, '2026-03-05T00:00:00.000Z');
  });

  it('a rotation saved while another writer noted the same new value stays one rotated run', async () => {
    for (const [observedAt, rotatedAt] of [['2026-05-01T10:00:00.100Z', '2026-05-01T10:00:00.300Z'], ['2026-05-01T10:00:00.300Z', '2026-05-01T10:00:00.100Z']] as const) {
      const dir = tmp();
      const rotation = await Ledger.open(dir);
      const old = rotation.fingerprint('old')!;
      const fresh = rotation.fingerprint('fresh')!;
      rotation.observe('/w/.env', 'K', old, d('2026-04-01'));
      await rotation.save();
      // The editor opened the ledger too, saw the saved file and noted the new value first.
      const editor = await Ledger.open(dir);
      editor.observe('/w/.env', 'K', fresh, d(observedAt));
      await editor.save();
      await rotation.recordRotation('/w/.env', 'K', fresh, d(rotatedAt));
      const runs = (await Ledger.open(dir)).history('/w/.env', 'K');
      assert.deepEqual(runs.map((r) => [r.fp === fresh ? 'fresh' : 'old', r.rotated === true]), [['old', false], ['fresh', true]], `one run per value (${observedAt} vs ${rotatedAt})`);
      assert.equal(rotationStageOf(runs.at(-1)!), 'applied');
    }
  });

  it('rejects malformed stage dates in a hand-edited ledger', async () => {
    const dir = tmp();
    const l = await Ledger.open(dir);
    const fp = l.fingerprint('v')!;
    const run = { fp, since: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:00:00.000Z', rotated: true };
    writeFileSync(path.join(dir, LEDGER_FILE), JSON.stringify({ version: 1, files: { [path.resolve('/w/.env')]: { A: [{ ...run, verified: 'yesterday' }], B: [{ ...run, retired: '2026-01-03T00:00:00.000Z' }] } } }));
    const again = await Ledger.open(dir);
    assert.equal(again.history('/w/.env', 'A').length, 0);
    assert.equal(rotationStageOf(again.history('/w/.env', 'B')[0]!), 'retired');
  });
});

describe('Ledger: parallel writers (real processes)', function () {
  this.timeout(120_000);
  it('100 processes saving at the same moment lose no record', async () => {
    const script = bundleScript(path.join(__dirname, '../../../helpers/children/ledgerWriter.ts'));
    const dir = tmp();
    await Ledger.open(dir); // the key exists first, as after any earlier run
    const n = 100;
    const start = Date.now() + 3000;
    const keys = Array.from({ length: n }, (_, i) => (i < 5 ? ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'][i]! : `KEY_${i}`));
    const results = await Promise.all(
      keys.map(
        (key, i) =>
          new Promise<{ code: number | null; err: string }>((resolve) => {
            const child = spawn(process.execPath, [script, dir, `/w/${i % 3}/.env`, key, String(start)], { stdio: ['ignore', 'ignore', 'pipe'] });
            let err = '';
            child.stderr.on('data', (b: Buffer) => (err += b.toString()));
            child.on('close', (code) => resolve({ code, err }));
          }),
      ),
    );
    assert.deepEqual(results.filter((r) => r.code !== 0), [], 'every writer succeeded');
    const l = await Ledger.open(dir);
    const missing = keys.filter((key, i) => l.history(`/w/${i % 3}/.env`, key).length === 0);
    assert.deepEqual(missing, [], 'no writer lost');
    const notRotated = keys.filter((key, i) => l.history(`/w/${i % 3}/.env`, key).at(-1)?.rotated !== true);
    assert.deepEqual(notRotated, [], 'every rotation recorded');
    assert.deepEqual(readdirSync(dir).filter((f) => f !== LEDGER_FILE && f !== 'fingerprint.key'), [], 'no lock or temp file left');
  });

  it('30 processes moving their rotations through verified and retired at once lose no stage', async () => {
    const script = bundleScript(path.join(__dirname, '../../../helpers/children/ledgerWriter.ts'));
    const dir = tmp();
    await Ledger.open(dir);
    const keys = Array.from({ length: 30 }, (_, i) => (i < 3 ? ['constructor', '__proto__', 'toString'][i]! : `KEY_${i}`));
    const start = Date.now() + 2000;
    const codes = await Promise.all(
      keys.map(
        (key) =>
          new Promise<{ code: number | null; err: string }>((resolve) => {
            const child = spawn(process.execPath, [script, dir, '/w/.env', key, String(start), 'stages'], { stdio: ['ignore', 'ignore', 'pipe'] });
            let err = '';
            child.stderr.on('data', (b: Buffer) => (err += b.toString()));
            child.on('close', (code) => resolve({ code, err }));
          }),
      ),
    );
    assert.deepEqual(codes.filter((r) => r.code !== 0), [], 'every writer succeeded');
    const l = await Ledger.open(dir);
    assert.deepEqual(keys.filter((k) => rotationStageOf(l.history('/w/.env', k).at(-1) ?? { fp: '', since: '', lastSeen: '' }) !== 'retired'), [], 'every rotation retired');
  });
});
