import { strict as assert } from 'node:assert';
import { KIND_IDS, type KindId } from '../../../../src/core/catalog/types';
import { planRotation, type RotationPlan } from '../../../../src/core/rotation/plan';
import { RUNBOOKS } from '../../../../src/core/rotation/runbooks/renderRunbook';
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

  it('session secret warns about logouts; pepper reissues derived codes; shared secret updates every party', () => {
    assert.match(plans.get('session-signing')!.runbook, /every user signs in again|sent back to the login page/);
    assert.match(plans.get('pepper')!.runbook, /Reissue what was derived/);
    assert.match(plans.get('shared-secret')!.runbook, /every party has the new value/);
    assert.match(plans.get('cache-password')!.runbook, /ACL SETUSER default/);
  });
});
