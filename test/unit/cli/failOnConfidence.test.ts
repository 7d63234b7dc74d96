import * as assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../helpers/cli';

describe('rekey scan --fail-on and confidence', () => {
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rekey-failon-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a low-confidence finding never fails the run, a medium one does at its severity', async () => {
    // Entropy only, no secret keyword: low confidence.
    writeFileSync(path.join(dir, '.env'), 'BUILD_NONCE=Zk3p9QmV7yXc2LrT8bNwQ4sA6dF1gH5j\n');
    let r = await cli(['scan', '--format', 'json', '--fail-on', 'info'], dir);
    const out = JSON.parse(r.stdout) as { findings: Array<{ key?: string; confidence?: string }> };
    assert.deepEqual(out.findings.filter((f) => f.key === 'BUILD_NONCE').map((f) => f.confidence), ['low']);
    assert.equal(r.code, 0, 'a low finding failed --fail-on info');
    writeFileSync(path.join(dir, '.env'), 'SESSION_SECRET=Zk3p9QmV7yXc2LrT8bNwQ4sA6dF1gH5j\n');
    r = await cli(['scan', '--format', 'json', '--fail-on', 'info'], dir);
    assert.equal(r.code, 1);
  });
});
