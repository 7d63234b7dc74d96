import { strict as assert } from 'node:assert';
import { KIND_IDS, type KindId } from '../../../../src/core/catalog/types';
import { planRotation, type RotationPlan } from '../../../../src/core/rotation/plan';
import { buildRunbook, runbookMarkdown, RUNBOOKS } from '../../../../src/core/rotation/runbooks/renderRunbook';
import { CANARIES, makeWorkspace, type Workspace } from './rotationWorkspace';

const SECTIONS = ['## 1. Inventory', '## 2. Pattern', '## 3. Rollback point', '## 4. Steps', '## 5. Verify', '## 6. Retire the old value', '## 7. Write down'];

/** The Steps section only. */
function steps(runbook: string): string {
  return runbook.slice(runbook.indexOf('## 4. Steps'), runbook.indexOf('## 5. Verify'));
}

function inOrder(text: string, first: RegExp, second: RegExp): void {
  const a = text.search(first);
  const b = text.search(second);
  assert.ok(a !== -1, `missing ${first}`);
  assert.ok(b !== -1, `missing ${second}`);
  assert.ok(a < b, `${first} should come before ${second}`);
}

describe('rotation/runbooks', () => {
  let ws: Workspace;
  const plans = new Map<KindId, RotationPlan>();
  before(async () => {
    ws = makeWorkspace('compose-stack', 'shop');
    for (const kind of KIND_IDS) {
      const key = kind === 'connection-url' ? 'DATABASE_URL' : kind === 'cache-password' ? 'REDIS_PASSWORD' : kind === 'encryption-key' ? 'APP_ENCRYPTION_KEY' : 'POSTGRES_PASSWORD';
      plans.set(kind, await planRotation({ workspaceRoot: ws.root, file: '.env', key, options: { trusted: true, kind, now: new Date(2026, 4, 1) } }));
    }
  });
  after(() => ws.cleanup());

  it('one template per kind', () => {
    assert.deepEqual(Object.keys(RUNBOOKS).sort(), [...KIND_IDS].sort());
  });

  for (const kind of KIND_IDS) {
    it(`${kind}: every section, this workspace's names, no value`, () => {
      const plan = plans.get(kind)!;
      const md = plan.runbook;
      let last = -1;
      for (const s of SECTIONS) {
        const i = md.indexOf(s);
        assert.ok(i > last, `${s} missing or out of order`);
        last = i;
      }
      assert.match(md, new RegExp(`# Rotate \`${plan.key}\``));
      assert.match(md, /`docker-compose\.yml:\d+`/);
      assert.match(md, /\.env\.before-secret-rotation/);
      assert.match(md, /# rotated: 2026-05-01/);
      for (const v of [...Object.values(CANARIES), plan.newValue ?? 'NO VALUE']) assert.ok(!md.includes(v), `${kind} runbook leaks a value`);
    });
  }

  it('encryption key: keep the old key, re-encrypt with both, verify, only then switch', () => {
    const s = steps(plans.get('encryption-key')!.runbook);
    inOrder(s, /backup of the database/, /re-encryption with both keys/);
    inOrder(s, /re-encryption with both keys/, /decrypt with the new key alone/);
    inOrder(s, /decrypt with the new key alone/, /Switch: put the new key in `APP_ENCRYPTION_KEY`/);
    inOrder(s, /Switch/, /Restart the consumers/);
    assert.match(s, /`APP_ENCRYPTION_KEY_NEW`/);
    assert.match(plans.get('encryption-key')!.runbook, /backups taken before the re-encryption still hold data encrypted with it/);
  });

  it('database password: change the role first, keep the old one until every consumer reconnects, then restart in order', () => {
    const md = plans.get('database-password')!.runbook;
    const s = steps(md);
    inOrder(s, /Change the role's password in PostgreSQL first/, /rekey rotate POSTGRES_PASSWORD/);
    inOrder(s, /rekey rotate POSTGRES_PASSWORD/, /1\. \*\*postgres\*\* \(source\)/);
    inOrder(s, /\*\*postgres\*\* \(source\)/, /\*\*app\*\* \(app\)/);
    inOrder(s, /\*\*app\*\* \(app\)/, /\*\*worker\*\* \(worker\)/);
    inOrder(s, /\*\*worker\*\* \(worker\)/, /\*\*backup\*\* \(cron\)/);
    assert.match(md, /Keep the old value valid until the verification below passes/);
    assert.match(s, /\\password <role>/);
  });

  it('third-party token: create at the provider, deploy, verify, and revoke the old one last', () => {
    const md = plans.get('api-token')!.runbook;
    inOrder(md, /Create a new token at the provider/, /--value-stdin/);
    inOrder(md, /## 5\. Verify/, /revoke or delete the old credential/);
  });

  it('the data form renders to the same Markdown; nothing is marked done before a rotation', () => {
    for (const kind of KIND_IDS) {
      const plan = plans.get(kind)!;
      const rb = buildRunbook(plan.runbookContext);
      assert.equal(runbookMarkdown(rb), plan.runbook, `${kind}: the built runbook renders as plan.runbook`);
      assert.ok(rb.sections.every((s) => s.items.every((i) => !i.done)), `${kind}: nothing done yet`);
    }
  });

  for (const kind of KIND_IDS) {
    it(`${kind}: after the editor's rotation, the steps rekey did are done and name no CLI command to run`, () => {
      const plan = plans.get(kind)!;
      const rb = buildRunbook(plan.runbookContext, { applied: true });
      const items = rb.sections.flatMap((s) => s.items.map((i) => ({ ...i, section: s.id })));
      const done = items.filter((i) => i.done);
      assert.ok(done.some((i) => i.section === 'rollback' && /rekey saved `\.env` as `[^`]*before-secret-rotation/.test(i.text)), 'the backup is written');
      assert.ok(done.some((i) => i.section === 'steps' && /rekey (saved|applied)/.test(i.text)), 'the value is replaced');
      if (plan.consumers.length) assert.ok(done.some((i) => i.section === 'inventory' && /rekey listed every consumer/.test(i.text)), 'the consumers are listed');
      for (const i of done) assert.doesNotMatch(i.text, /rekey rotate|--dry-run|--apply-code/, `${kind}: a done item tells the user to run something`);
      const steps = rb.sections.find((s) => s.id === 'steps')!;
      assert.ok(steps.items.some((i) => i.needsNewValue && !i.done), `${kind}: a step that needs the new value elsewhere is marked`);
      const md = runbookMarkdown(rb);
      for (const v of [...Object.values(CANARIES), plan.newValue ?? 'NO VALUE']) assert.ok(!md.includes(v), `${kind} applied runbook leaks a value`);
    });
  }

  it('database password after the rotation: the PostgreSQL step needs the new value; linked entries read as rewritten', () => {
    const rb = buildRunbook(plans.get('database-password')!.runbookContext, { applied: true });
    const steps = rb.sections.find((s) => s.id === 'steps')!.items;
    const pg = steps.find((i) => /Change the role's password in PostgreSQL first/.test(i.text));
    assert.ok(pg?.needsNewValue && !pg.done);
    const linked = buildRunbook(plans.get('connection-url')!.runbookContext, { applied: true }).sections[0]!.items.find((i) => /Entries that hold the same secret/.test(i.text));
    if (linked) assert.match(linked.text, /\(rekey rewrote it\)/);
  });

  it('session secret warns about logouts; pepper reissues derived codes; shared secret updates every party', () => {
    assert.match(plans.get('session-signing')!.runbook, /every user signs in again|sent back to the login page/);
    assert.match(plans.get('pepper')!.runbook, /Reissue what was derived/);
    assert.match(plans.get('shared-secret')!.runbook, /every party has the new value/);
    assert.match(plans.get('cache-password')!.runbook, /ACL SETUSER default/);
  });
});
