import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse as dotenvParse } from 'dotenv';
import { cli, type CliRun } from '../../helpers/cli';
import { CANARIES, makeWorkspace, type Workspace } from '../core/rotation/rotationWorkspace';

/** Fails when any canary (old values) or the given new values appear anywhere in the run's output. */
function assertNoLeak(run: CliRun, extra: string[] = []): void {
  for (const v of [...Object.values(CANARIES), ...extra]) {
    assert.ok(!run.stdout.includes(v), `stdout leaks ${v.slice(0, 8)}…`);
    assert.ok(!run.stderr.includes(v), `stderr leaks ${v.slice(0, 8)}…`);
  }
}

describe('cli rotate', () => {
  let ws: Workspace;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    ws = makeWorkspace('compose-stack', 'shop');
    env = { REKEY_STATE_DIR: path.join(ws.tmp, 'state') };
  });
  afterEach(() => ws.cleanup());
  const run = (args: string[], stdin?: string): Promise<CliRun> => cli(args, ws.root, { env, ...(stdin !== undefined ? { stdin } : {}) });
  const envFile = (): Record<string, string> => dotenvParse(readFileSync(path.join(ws.root, '.env'), 'utf8'));

  it('--dry-run --format json: the documented shape, nothing written, no value', async () => {
    const r = await run(['rotate', 'POSTGRES_PASSWORD', '--dry-run', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.version, 1);
    assert.equal(j.key, 'POSTGRES_PASSWORD');
    assert.equal(j.file, '.env');
    assert.equal(j.kind, 'database-password');
    assert.equal(typeof j.impact, 'string');
    assert.equal(j.pattern, 'dual-credential-window');
    assert.deepEqual(j.generated, { format: 'alnum:27', length: 27, description: j.generated.description, from: 'current-value' });
    assert.deepEqual(j.linked.map((l: { file: string; key: string; line: number }) => `${l.file}:${l.line} ${l.key}`), ['.env:9 DATABASE_URL', 'services/reporting/.env:4 REPORTING_DB_PASSWORD']);
    assert.deepEqual(j.consumers.slice(0, 3).map((c: { file: string; line: number; service: string | null }) => `${c.file}:${c.line} ${c.service}`), [
      '.github/workflows/deploy.yml:13 null',
      'docker-compose.yml:4 app',
      'docker-compose.yml:4 worker',
    ]);
    assert.deepEqual(j.restartOrder.map((s: { name: string }) => s.name), ['postgres', 'app', 'worker', 'cron', 'backup', '.github/workflows/deploy.yml']);
    assert.equal(j.backup, '.env.before-secret-rotation');
    assert.match(j.runbook, /^# Rotate `POSTGRES_PASSWORD`/);
    assert.equal(j.applied, null);
    assert.equal(envFile().POSTGRES_PASSWORD, CANARIES.postgres);
    assert.ok(!existsSync(path.join(ws.root, '.env.before-secret-rotation')));
    assertNoLeak(r);
  });

  it('text plan without --dry-run applies it, and prints neither the old nor the new value', async () => {
    const r = await run(['rotate', 'POSTGRES_PASSWORD']);
    assert.equal(r.code, 0, r.stderr);
    const now = envFile();
    assert.notEqual(now.POSTGRES_PASSWORD, CANARIES.postgres);
    assert.equal(now.DATABASE_URL, `postgres://shop:${now.POSTGRES_PASSWORD}@postgres:5432/shop`);
    assert.match(r.stdout, /Linked entries \(2\):/);
    assert.match(r.stdout, /Restart order:\n {2}1\. postgres \(source\)/);
    assert.match(r.stdout, /Rotated POSTGRES_PASSWORD:\n {2}wrote \.env \(POSTGRES_PASSWORD, DATABASE_URL\); backup \.env\.before-secret-rotation/);
    assertNoLeak(r, [now.POSTGRES_PASSWORD as string]);
    if (process.platform !== 'win32') assert.equal(statSync(path.join(ws.root, '.env.before-secret-rotation')).mode & 0o777, 0o600);
    // The ledger was written to the state folder given in the environment.
    assert.ok(existsSync(path.join(ws.tmp, 'state', 'ledger.json')));
    assert.ok(!readFileSync(path.join(ws.tmp, 'state', 'ledger.json'), 'utf8').includes(now.POSTGRES_PASSWORD as string));
  });

  it('json after applying: the applied block, and still no value', async () => {
    const r = await run(['rotate', 'SESSION_SECRET', '--format', 'json', '--keep-previous']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.applied.keptPrevious, 'SESSION_SECRET_PREVIOUS');
    assert.equal(j.applied.backup, '.env.before-secret-rotation');
    assert.equal(envFile().SESSION_SECRET_PREVIOUS, CANARIES.session);
    assertNoLeak(r, [envFile().SESSION_SECRET as string]);
  });

  it('--reveal prints the new value, the one that was written', async () => {
    const r = await run(['rotate', 'SESSION_SECRET', '--reveal', '--format', 'json', '--logout-everyone']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.generated.value, envFile().SESSION_SECRET);
    const t = await run(['rotate', 'REDIS_PASSWORD', '--reveal', '--dry-run']);
    assert.match(t.stdout, /^ {2}value: {4}[A-Za-z0-9]{26}$/m);
  });

  it('--keep-previous-name NAME keeps the old value under that name', async () => {
    const r = await run(['rotate', 'REDIS_URL', '--keep-previous-name', 'REDIS_URL_OLD']);
    assert.equal(r.code, 0, r.stderr);
    const now = envFile();
    assert.equal(now.REDIS_URL_OLD, `redis://:${CANARIES.redis}@redis:6379/0`);
    assert.equal(now.REDIS_URL, `redis://:${now.REDIS_PASSWORD}@redis:6379/0`);
    assertNoLeak(r, [now.REDIS_PASSWORD as string]);
  });

  it('encryption key: KEY_NEW by default, --force replaces it and lists what breaks', async () => {
    const r = await run(['rotate', 'APP_ENCRYPTION_KEY']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(envFile().APP_ENCRYPTION_KEY, CANARIES.encryption);
    assert.match(envFile().APP_ENCRYPTION_KEY_NEW ?? '', /^[0-9a-f]{64}$/);
    assert.match(r.stdout, /will be added as APP_ENCRYPTION_KEY_NEW, not replaced/);
    assertNoLeak(r, [envFile().APP_ENCRYPTION_KEY_NEW as string]);

    const again = await run(['rotate', 'APP_ENCRYPTION_KEY']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /APP_ENCRYPTION_KEY_NEW already exists/);

    const forced = await run(['rotate', 'APP_ENCRYPTION_KEY', '--force', '--dry-run']);
    assert.match(forced.stdout, /What breaks \(--force\):\n {2}- Everything encrypted with the current APP_ENCRYPTION_KEY becomes unreadable/);
  });

  it('provider tokens: refused without a value, written from standard input', async () => {
    const refused = await run(['rotate', 'MAILER_API_TOKEN']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^rekey: rotate: not applied: MAILER_API_TOKEN is an? .*--value-stdin/m);
    // Not a dry run: the plan says why nothing was written instead of calling it a dry run.
    assert.match(refused.stdout, /^Nothing was written: MAILER_API_TOKEN is an? /m);
    assert.doesNotMatch(refused.stdout, /Dry run/);
    assert.equal(envFile().MAILER_API_TOKEN, CANARIES.mailer);

    const fresh = 'mt_live_FreshFromTheProviderConsole42';
    const r = await run(['rotate', 'MAILER_API_TOKEN', '--value-stdin'], `${fresh}\n`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(envFile().MAILER_API_TOKEN, fresh);
    assertNoLeak(r, [fresh]);
  });

  it('usage errors are one line on stderr with exit 2, value-free', async () => {
    for (const [args, re] of [
      [['rotate'], /expected exactly one KEY/],
      [['rotate', 'NOPE'], /NOPE is not defined in \.env/],
      [['rotate', 'X', '--file', 'missing.env'], /missing\.env not found/],
      [['rotate', 'SESSION_SECRET', '--kind', 'wizard'], /--kind must be one of/],
      [['rotate', 'SESSION_SECRET', '--keep-previous-name', 'bad name'], /--keep-previous-name must be a key name/],
      [['rotate', 'SESSION_SECRET', '--format', 'xml'], /--format must be one of text, json/],
    ] as Array<[string[], RegExp]>) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assertNoLeak(r);
    }
  });

  it('--file and a subfolder working directory resolve to the git work tree for the scan', async () => {
    const r = await cli(['rotate', 'REPORTING_DB_PASSWORD', '--file', '.env', '--dry-run', '--format', 'json'], path.join(ws.root, 'services', 'reporting'), { env });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.file, '.env');
    assert.deepEqual(j.linked.map((l: { file: string; key: string }) => `${l.file} ${l.key}`), [
      `${path.join(ws.root, '.env')} POSTGRES_PASSWORD`,
      `${path.join(ws.root, '.env')} DATABASE_URL`,
    ]);
    assertNoLeak(r);
  });
});
