import { strict as assert } from 'node:assert';
import { planRotation } from '../../../../src/core/rotation/plan';
import { buildRunbook } from '../../../../src/core/rotation/runbooks/renderRunbook';
import { renderAppliedRunbook, runbookProgress } from '../../../../src/extension/rotation/appliedRunbookMarkdown';
import { CANARIES, makeWorkspace, type Workspace } from '../../core/rotation/rotationWorkspace';

const NOW = new Date(2026, 4, 1, 10, 0, 0);

describe('extension/rotation/appliedRunbookMarkdown', () => {
  let ws: Workspace;
  before(() => {
    ws = makeWorkspace('compose-stack', 'shop');
  });
  after(() => ws.cleanup());

  it('marks what rekey did, points the database step to Copy New Value, and names no rekey command for done steps', async () => {
    const plan = await planRotation({ workspaceRoot: ws.root, file: '.env', key: 'POSTGRES_PASSWORD', options: { trusted: true, now: NOW } });
    const rb = buildRunbook(plan.runbookContext, { applied: true });
    const md = renderAppliedRunbook(rb, { clipboardSeconds: 30 });
    const progress = runbookProgress(rb);
    assert.ok(progress.done >= 3, `backup, replacement and consumer list are done (${progress.done})`);
    assert.match(md, /^# Rotate `POSTGRES_PASSWORD`/);
    assert.match(md, /> \*\*Applied\.\*\* rekey did \d+ items of this runbook/);
    assert.match(md, /✅ \*\*Done by rekey\.\*\* rekey saved `\.env` as `\.env\.before-secret-rotation`/);
    assert.match(md, /✅ \*\*Done by rekey\.\*\* rekey saved `\.env\.before-secret-rotation` first[^\n]*replaced `POSTGRES_PASSWORD`[^\n]*rewrote `DATABASE_URL`/);
    const steps = md.slice(md.indexOf('## 4. Steps'), md.indexOf('## 5. Verify'));
    assert.doesNotMatch(steps, /rekey rotate/, 'the steps do not tell the user to run rekey rotate');
    assert.match(steps, /Change the role's password in PostgreSQL first[\s\S]*?📋 Needs the new value: \*\*Copy New Value\*\*[^\n]*emptied after 30 s/);
    for (const v of [...Object.values(CANARIES), plan.newValue ?? 'NO VALUE']) assert.ok(!md.includes(v), 'the applied runbook leaked a value');
  });

  it('says nothing about clearing when the clipboard is left alone', async () => {
    const plan = await planRotation({ workspaceRoot: ws.root, file: '.env', key: 'REDIS_PASSWORD', options: { trusted: true, now: NOW } });
    const md = renderAppliedRunbook(buildRunbook(plan.runbookContext, { applied: true }), { clipboardSeconds: 0 });
    assert.match(md, /📋 Needs the new value/);
    assert.doesNotMatch(md, /emptied after/);
  });
});
