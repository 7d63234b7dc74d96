import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cli } from '../../helpers/cli';
import { CANARIES, makeWorkspace, type Workspace } from '../core/rotation/rotationWorkspace';

describe('cli runbook', () => {
  let ws: Workspace;
  before(() => {
    ws = makeWorkspace('nextjs-auth', 'dashboard');
  });
  after(() => ws.cleanup());

  it('prints the Markdown runbook for the key, filled with the workspace, without a value', async () => {
    const r = await cli(['runbook', 'DASHBOARD_SECRET', '--file', '.env.local'], ws.root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# Rotate `DASHBOARD_SECRET`: session secret\n/);
    assert.match(r.stdout, /handed to better-auth as its signing secret \(src\/lib\/auth\.js:5\)/);
    assert.match(r.stdout, /\| `src\/lib\/auth\.js:5` \| dashboard \| app \|/);
    assert.match(r.stdout, /## 4\. Steps/);
    const secret = /DASHBOARD_SECRET=(.*)/.exec(readFileSync(path.join(ws.root, '.env.local'), 'utf8'))![1]!;
    for (const v of [secret, ...Object.values(CANARIES)]) assert.ok(!r.stdout.includes(v) && !r.stderr.includes(v));
  });

  it('--kind overrides the kind; unknown keys are a usage error', async () => {
    const r = await cli(['runbook', 'DASHBOARD_SECRET', '--file', '.env.local', '--kind', 'webhook-secret'], ws.root);
    assert.match(r.stdout, /^# Rotate `DASHBOARD_SECRET`: webhook secret/);
    const missing = await cli(['runbook', 'NOPE', '--file', '.env.local'], ws.root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /NOPE is not defined in \.env\.local/);
  });
});
