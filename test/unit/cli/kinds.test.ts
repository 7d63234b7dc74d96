import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { KIND_IDS } from '../../../src/core/catalog/types';
import { cli } from '../../helpers/cli';

describe('rekey kinds', () => {
  it('prints the catalog as text', async () => {
    const r = await cli(['kinds'], os.tmpdir());
    assert.equal(r.code, 0, r.stderr);
    for (const id of KIND_IDS) assert.match(r.stdout, new RegExp(`^${id} — `, 'm'));
    assert.match(r.stdout, /session-signing — session secret\n {2}rotate every 90 days; pattern: dual-credential-window; generator: base64, 64 bytes/);
    assert.match(r.stdout, /impact: /);
  });

  it('prints versioned JSON with id, name, interval, impact, pattern and generator', async () => {
    const r = await cli(['kinds', '--format', 'json'], os.tmpdir());
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { version: number; kinds: Array<Record<string, unknown>> };
    assert.equal(out.version, 1);
    assert.deepEqual(out.kinds.map((k) => k.id), [...KIND_IDS]);
    const pepper = out.kinds.find((k) => k.id === 'pepper');
    assert.deepEqual(Object.keys(pepper ?? {}).sort(), ['dualWindow', 'examples', 'generator', 'id', 'impact', 'intervalDays', 'name', 'pattern'].sort());
    assert.equal(pepper?.intervalDays, 365);
    assert.deepEqual(pepper?.generator, { type: 'hex', bytes: 32 });
  });

  it('rejects bad usage with exit code 2 and one line', async () => {
    const r = await cli(['kinds', '--format', 'xml'], os.tmpdir());
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.equal((await cli(['kinds', 'extra'], os.tmpdir())).code, 2);
  });
});
