import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FINGERPRINT_KEY_FILE, Fingerprinter, openFingerprinter, StateError } from '../../../../src/core/state/fingerprint';

const CANARY = 'CANARY-fp-9d8c7b6a5f4e3d2c';

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'rekey-fp-'));
}

describe('fingerprint', () => {
  it('creates a private random key once and reuses it', async () => {
    const dir = path.join(tmp(), 'nested', 'state');
    const a = await openFingerprinter(dir);
    const b = await openFingerprinter(dir);
    assert.ok(a && b);
    assert.equal(a.of(CANARY), b.of(CANARY));
    const keyFile = path.join(dir, FINGERPRINT_KEY_FILE);
    if (process.platform !== 'win32') {
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      assert.equal(statSync(dir).mode & 0o077, 0, 'state folder is private');
    }
    assert.match(readFileSync(keyFile, 'utf8'), /^[0-9a-f]{64}\n$/);
  });

  it('is keyed: another key gives other fingerprints, and none contain the value', async () => {
    const a = await openFingerprinter(tmp());
    const b = await openFingerprinter(tmp());
    assert.ok(a && b);
    assert.notEqual(a.of(CANARY), b.of(CANARY));
    assert.match(a.of(CANARY), /^[0-9a-f]{16}$/);
    assert.match(a.short(CANARY), /^[0-9a-f]{8}$/);
    assert.equal(a.of(CANARY).startsWith(a.short(CANARY)), true);
    assert.notEqual(a.of(CANARY), a.of(CANARY + 'x'));
    assert.ok(!a.of(CANARY).includes('CANARY'));
  });

  it('does not create anything when asked not to', async () => {
    const dir = path.join(tmp(), 'absent');
    assert.equal(await openFingerprinter(dir, { create: false }), undefined);
    assert.throws(() => statSync(dir));
  });

  it('agrees between concurrent first openers (one key wins)', async () => {
    const dir = tmp();
    const all = await Promise.all(Array.from({ length: 8 }, () => openFingerprinter(dir)));
    const fps = new Set(all.map((f) => f?.of(CANARY)));
    assert.equal(fps.size, 1);
  });

  it('refuses a malformed key file with an actionable StateError', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, FINGERPRINT_KEY_FILE), 'not a key');
    await assert.rejects(openFingerprinter(dir), (e: unknown) => e instanceof StateError && /delete it/.test(e.message));
  });

  it('tightens a loosened key file mode', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = tmp();
    await openFingerprinter(dir);
    chmodSync(path.join(dir, FINGERPRINT_KEY_FILE), 0o644);
    await openFingerprinter(dir);
    assert.equal(statSync(path.join(dir, FINGERPRINT_KEY_FILE)).mode & 0o777, 0o600);
  });

  it('rejects keys that are too short', () => {
    assert.throws(() => new Fingerprinter(new Uint8Array(4)), StateError);
  });
});
