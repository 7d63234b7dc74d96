import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { RotationError } from '../../../../src/core/rotation/errors';
import { planRotation, type RotationPlan } from '../../../../src/core/rotation/plan';
import { at, CANARIES, makeWorkspace, type Workspace } from './rotationWorkspace';

const NOW = new Date(2026, 4, 1, 10, 0, 0);

function assertNoValues(plan: RotationPlan, extra: string[] = []): void {
  const secrets = [...Object.values(CANARIES), ...extra, ...(plan.newValue ? [plan.newValue] : [])];
  const shown = [JSON.stringify(plan), inspect(plan, { depth: 10 }), plan.runbook];
  for (const text of shown) for (const s of secrets) assert.ok(!text.includes(s), `leaked a value (${s.slice(0, 6)}…)`);
}

describe('rotation/plan', () => {
  let ws: Workspace;
  before(() => {
    ws = makeWorkspace('compose-stack', 'shop');
  });
  after(() => ws.cleanup());

  const plan = (key: string, options: Parameters<typeof planRotation>[0]['options'] = {}): Promise<RotationPlan> =>
    planRotation({ workspaceRoot: ws.root, file: '.env', key, options: { trusted: true, now: NOW, ...options } });

  it('POSTGRES_PASSWORD: kind, linked entries, consumers and restart order, exactly', async () => {
    const p = await plan('POSTGRES_PASSWORD');
    assert.equal(p.kind, 'database-password');
    assert.equal(p.pattern, 'dual-credential-window');
    assert.equal(p.mode, 'replace');
    assert.deepEqual(p.blockers, []);
    assert.deepEqual(
      p.linked.map((l) => `${at(ws.root, l.file, l.line)} ${l.key} ${l.relation} ${l.action}`),
      ['.env:9 DATABASE_URL url-password rewrite', 'services/reporting/.env:4 REPORTING_DB_PASSWORD same-value rewrite'],
    );
    assert.deepEqual(
      p.consumers.map((c) => `${at(ws.root, c.file, c.line)} ${c.service ?? '-'} ${c.key}`),
      [
        '.github/workflows/deploy.yml:13 - DATABASE_URL',
        'docker-compose.yml:4 app POSTGRES_PASSWORD',
        'docker-compose.yml:4 worker POSTGRES_PASSWORD',
        'docker-compose.yml:12 postgres POSTGRES_PASSWORD',
        'docker-compose.yml:45 backup POSTGRES_PASSWORD',
        'docker-compose.yml:57 cron DATABASE_URL',
        'scripts/backup.sh:4 backup POSTGRES_PASSWORD',
        'scripts/cleanup.sh:4 cron DATABASE_URL',
        'src/db.js:5 app DATABASE_URL',
        'src/db.js:5 worker DATABASE_URL',
        'src/worker.js:4 worker DATABASE_URL',
      ],
    );
    assert.deepEqual(
      p.restartOrder.map((s) => `${s.name} ${s.role}`),
      ['postgres source', 'app app', 'worker worker', 'cron cron', 'backup cron', '.github/workflows/deploy.yml ci'],
    );
    assert.equal(p.generated.spec, 'alnum:27');
    assert.match(p.newValue ?? '', /^[A-Za-z0-9]{27}$/);
    assert.equal(p.backupPath, path.join(ws.root, '.env.before-secret-rotation'));
    assert.equal(p.date, '2026-05-01');
    assertNoValues(p);
  });

  it('two plans never generate the same value', async () => {
    const a = await plan('POSTGRES_PASSWORD', { skipConsumers: true });
    const b = await plan('POSTGRES_PASSWORD', { skipConsumers: true });
    assert.notEqual(a.newValue, b.newValue);
  });

  it('DATABASE_URL: only the URL password is rotated; the plain password and references follow', async () => {
    const p = await plan('DATABASE_URL');
    assert.equal(p.kind, 'connection-url');
    assert.equal(p.target.part, 'url-password');
    assert.equal(p.target.scheme, 'postgres');
    assert.deepEqual(
      p.linked.map((l) => `${at(ws.root, l.file, l.line)} ${l.key} ${l.action}`),
      ['.env:7 POSTGRES_PASSWORD rewrite', '.env:10 MIGRATION_DATABASE_URL follows', 'services/reporting/.env:4 REPORTING_DB_PASSWORD rewrite'],
    );
    // The URL's host is a compose service: it is the source, first in the order.
    assert.equal(p.restartOrder[0]?.name, 'postgres');
    assertNoValues(p);
  });

  it('REDIS_URL: the redis service is the source; its URL-safe password is generated', async () => {
    const p = await plan('REDIS_URL');
    assert.deepEqual(p.linked.map((l) => `${l.key} ${l.action}`), ['REDIS_PASSWORD rewrite']);
    assert.deepEqual(p.restartOrder.map((s) => `${s.name} ${s.role}`), ['redis source', 'app app', 'worker worker']);
    assert.match(p.newValue ?? '', /^[A-Za-z0-9]+$/);
  });

  it('encryption key: added as KEY_NEW by default, replaced only with force (and the plan says what breaks)', async () => {
    const p = await plan('APP_ENCRYPTION_KEY');
    assert.equal(p.kind, 'encryption-key');
    assert.equal(p.mode, 'add-new');
    assert.equal(p.newKey, 'APP_ENCRYPTION_KEY_NEW');
    assert.match(p.warnings.join('\n'), /will be added as APP_ENCRYPTION_KEY_NEW, not replaced/);
    assert.equal(p.generated.spec, 'hex:32');
    assert.deepEqual(p.breaks, []);
    assert.match(p.runbook, /re-encrypt/i);
    const forced = await plan('APP_ENCRYPTION_KEY', { force: true });
    assert.equal(forced.mode, 'replace');
    assert.ok(forced.breaks.length >= 2);
    assert.match(forced.breaks.join(' '), /unreadable/);
    assert.match(forced.runbook, /Forced/);
    assertNoValues(forced);
  });

  it('provider-issued token: blocked until a value is supplied', async () => {
    const p = await plan('MAILER_API_TOKEN');
    assert.equal(p.generated.from, 'provider');
    assert.equal(p.newValue, undefined);
    assert.match(p.blockers[0] ?? '', /provider issues new values/);
    const supplied = await plan('MAILER_API_TOKEN', { newValue: 'mt_live_NewTokenFromTheProvider1234' });
    assert.deepEqual(supplied.blockers, []);
    assert.equal(supplied.generated.from, 'user');
    assertNoValues(supplied, ['mt_live_NewTokenFromTheProvider1234']);
  });

  it('keep-previous: default name, custom name, and refusal of bad names', async () => {
    assert.equal((await plan('SESSION_SECRET', { keepPrevious: true, skipConsumers: true })).keepPrevious, 'SESSION_SECRET_PREVIOUS');
    assert.equal((await plan('SESSION_SECRET', { keepPrevious: 'OLD_SESSION_SECRET', skipConsumers: true })).keepPrevious, 'OLD_SESSION_SECRET');
    const bad = await plan('SESSION_SECRET', { keepPrevious: 'has space', skipConsumers: true });
    assert.match(bad.blockers[0] ?? '', /--keep-previous/);
    const pepperless = await plan('REDIS_PASSWORD', { keepPrevious: true, skipConsumers: true });
    assert.match(pepperless.warnings.join('\n'), /no dual window/);
  });

  it('session secret: 64 random bytes base64, same as the current one', async () => {
    const p = await plan('SESSION_SECRET');
    assert.equal(p.kind, 'session-signing');
    assert.equal(p.generated.spec, 'base64:64');
    assert.match(p.kindReason, /express-session/);
    assert.equal(p.target.quote, 'double');
  });

  it('a key that is missing, or whose value refers to another key, is refused with a clear reason', async () => {
    await assert.rejects(plan('NOPE'), (e: unknown) => e instanceof RotationError && e.code === 'key-not-found' && /NOPE is not defined/.test(e.message));
    const p = await plan('MIGRATION_DATABASE_URL', { skipConsumers: true });
    assert.match(p.blockers.join('\n'), /takes its value from \$\{DATABASE_URL\}: rotate DATABASE_URL instead/);
  });

  it('an unsaved editor text is planned instead of the file on disk', async () => {
    const text = readFileSync(path.join(ws.root, '.env'), 'utf8') + 'EXTRA_SECRET=Zm9vYmFyYmF6cXV4cXV1eGNvcmdl\n';
    const p = await plan('EXTRA_SECRET', { text, skipConsumers: true });
    assert.equal(p.sources.get(path.join(ws.root, '.env')), text);
  });

  it('Next.js: a secret handed to better-auth is a session secret whatever its name', async () => {
    const w = makeWorkspace('nextjs-auth', 'dashboard');
    try {
      const p = await planRotation({ workspaceRoot: w.root, file: '.env.local', key: 'DASHBOARD_SECRET', options: { trusted: true, now: NOW } });
      assert.equal(p.kind, 'session-signing');
      assert.match(p.kindReason, /better-auth as its signing secret \(src\/lib\/auth\.js:5\)/);
      assert.deepEqual(p.consumers.map((c) => `${at(w.root, c.file, c.line)} ${c.service}`), ['src/app/api/session/route.js:6 dashboard', 'src/lib/auth.js:5 dashboard']);
      assert.deepEqual(p.restartOrder.map((s) => `${s.name} ${s.role} ${s.target}`), ['dashboard app process']);
      // 32 bytes base64url today: 256 bits, strong enough to keep the shape.
      assert.equal(p.generated.spec, 'base64url:32');
      assert.match(p.runbook, /logged out|sign(s)? in again/);
      const dashboard = readFileSync(path.join(w.root, '.env.local'), 'utf8').match(/DASHBOARD_SECRET=(.*)/)![1]!;
      assertNoValues(p, [dashboard]);
    } finally {
      w.cleanup();
    }
  });

  it('a second backup does not replace the first', async () => {
    writeFileSync(path.join(ws.root, '.env.before-secret-rotation'), 'OLD=1\n');
    try {
      const p = await plan('SESSION_SECRET', { skipConsumers: true });
      assert.equal(p.backupPath, path.join(ws.root, '.env.before-secret-rotation-2'));
    } finally {
      rmSync(path.join(ws.root, '.env.before-secret-rotation'));
    }
  });
});
