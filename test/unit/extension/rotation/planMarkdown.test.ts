import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { planRotation } from '../../../../src/core/rotation/plan';
import { renderPlanMarkdown } from '../../../../src/extension/rotation/planMarkdown';
import { CANARIES, makeWorkspace, type Workspace } from '../../core/rotation/rotationWorkspace';

const NOW = new Date(2026, 4, 1, 10, 0, 0);

describe('extension/rotation/planMarkdown', () => {
  let ws: Workspace;
  before(() => {
    ws = makeWorkspace('compose-stack', 'shop');
  });
  after(() => ws.cleanup());

  it('shows impact, pattern, linked entries, consumers and restart order, never a value', async () => {
    const plan = await planRotation({ workspaceRoot: ws.root, file: '.env', key: 'POSTGRES_PASSWORD', options: { trusted: true, now: NOW } });
    const md = renderPlanMarkdown(plan);
    assert.match(md, /^# Rotate `POSTGRES_PASSWORD`/);
    assert.match(md, /## Impact\n\nEvery service that connects to the database/);
    assert.match(md, /## Pattern: Dual-credential window/);
    assert.match(md, /## Linked entries \(2\)[\s\S]*`\.env:9` \| `DATABASE_URL` \| rewrite/);
    assert.match(md, /## Consumers \(\d+(, and \d+ reading linked entries)?\)[\s\S]*\| `docker-compose\.yml:\d+` \| `\w+` \|/);
    assert.match(md, /## Restart order\n\n1\. \*\*postgres\*\* \(source\)/);
    assert.match(md, /Backup first: `\.env\.before-secret-rotation`/);
    assert.match(md, /Nothing has changed yet/);
    assert.ok(plan.newValue);
    for (const secret of [...Object.values(CANARIES), plan.newValue]) assert.ok(!md.includes(secret), `the plan preview leaked a value (${secret.slice(0, 6)}…)`);
    assert.ok(!inspect(md).includes(plan.newValue));
  });

  it('explains the add-new mode of encryption keys and what --force breaks', async () => {
    const staged = await planRotation({ workspaceRoot: ws.root, file: '.env', key: 'APP_ENCRYPTION_KEY', options: { trusted: true, now: NOW, skipConsumers: true } });
    assert.match(renderPlanMarkdown(staged), /`APP_ENCRYPTION_KEY_NEW` is \*\*added\*\* next to `APP_ENCRYPTION_KEY`/);
    const forced = await planRotation({ workspaceRoot: ws.root, file: '.env', key: 'APP_ENCRYPTION_KEY', options: { trusted: true, now: NOW, skipConsumers: true, force: true } });
    const md = renderPlanMarkdown(forced);
    assert.match(md, /\*\*replacing the encryption key in place\*\*/);
    assert.match(md, /## What breaks\n\n- Everything encrypted with the current APP_ENCRYPTION_KEY/);
  });

  it('lists the blockers when the plan cannot be applied', async () => {
    const plan = await planRotation({ workspaceRoot: ws.root, file: '.env', key: 'MAILER_API_TOKEN', options: { trusted: true, now: NOW, skipConsumers: true } });
    assert.ok(plan.blockers.length > 0);
    assert.match(renderPlanMarkdown(plan), /> \*\*Cannot be applied yet:\*\*\n>\n> - MAILER_API_TOKEN is a/);
  });
});
