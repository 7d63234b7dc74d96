import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as dotenvParse } from 'dotenv';
import { applyRotation, computeRotationEdits, type RotationRecorder } from '../../../../src/core/rotation/apply';
import { RotationError } from '../../../../src/core/rotation/errors';
import { planRotation, type PlanOptions, type RotationPlan } from '../../../../src/core/rotation/plan';
import { CANARIES, git, makeWorkspace, type Workspace } from './rotationWorkspace';

const NOW = new Date(2026, 4, 1, 10, 0, 0);
const posix = process.platform !== 'win32';

function read(ws: Workspace, rel: string): string {
  return readFileSync(path.join(ws.root, rel), 'utf8');
}

/** The text with the new value replaced by a placeholder, for exact comparisons. */
function masked(text: string, plan: RotationPlan): string {
  return text.split(plan.newValue as string).join('<NEW>');
}

function applyEditsInMemory(text: string, edits: Array<{ start: number; end: number; newText: string }>): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function errorOf(code: string, check: (e: RotationError) => void = () => undefined) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof RotationError, String(e));
    assert.equal(e.code, code, e.message);
    for (const v of Object.values(CANARIES)) assert.ok(!e.message.includes(v));
    check(e);
    return true;
  };
}

describe('rotation/apply', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = makeWorkspace('compose-stack', 'shop');
  });
  afterEach(() => ws.cleanup());

  const plan = (key: string, options: PlanOptions = {}, file = '.env'): Promise<RotationPlan> =>
    planRotation({ workspaceRoot: ws.root, file, key, options: { trusted: true, now: NOW, ...options } });

  it('POSTGRES_PASSWORD: backup, new value, linked URL and other file, annotations, read-back', async () => {
    const before = read(ws, '.env');
    const reportBefore = read(ws, 'services/reporting/.env');
    const p = await plan('POSTGRES_PASSWORD');
    const result = await applyRotation(p, { trusted: true, now: NOW });

    const env = read(ws, '.env');
    assert.equal(
      masked(env, p),
      before
        .replace(`POSTGRES_PASSWORD=${CANARIES.postgres}`, '# rotated: 2026-05-01\nPOSTGRES_PASSWORD=<NEW>')
        .replace(`DATABASE_URL=postgres://shop:${CANARIES.postgres}@`, '# rotated: 2026-05-01\nDATABASE_URL=postgres://shop:<NEW>@'),
    );
    const parsed = dotenvParse(env);
    assert.equal(parsed.POSTGRES_PASSWORD, p.newValue);
    assert.equal(parsed.DATABASE_URL, `postgres://shop:${p.newValue}@postgres:5432/shop`);
    assert.equal(parsed.MIGRATION_DATABASE_URL, '${DATABASE_URL}');
    assert.equal(dotenvParse(read(ws, 'services/reporting/.env')).REPORTING_DB_PASSWORD, p.newValue);

    // Backups hold the old text, are private and ignored by git.
    assert.deepEqual(result.files.map((f) => path.relative(ws.root, f.backup)), ['.env.before-secret-rotation', path.join('services', 'reporting', '.env.before-secret-rotation')]);
    // First line: a comment naming rekey, the rotated keys and the date (dotenv ignores it); then the old text.
    const header = /^# rekey: backup before rotating ([^\n]+) on 2026-05-01T10:00:00\.000Z; delete it once the new value works everywhere \(rekey retire\)\n/;
    const mainBackup = readFileSync(result.backup, 'utf8');
    assert.match(mainBackup, header);
    assert.equal(mainBackup.replace(header, ''), before);
    assert.deepEqual(dotenvParse(mainBackup), dotenvParse(before));
    const reportBackup = read(ws, 'services/reporting/.env.before-secret-rotation');
    assert.match(reportBackup, /^# rekey: backup before rotating REPORTING_DB_PASSWORD on /);
    assert.equal(reportBackup.replace(header, ''), reportBefore);
    if (posix) for (const f of result.files) assert.equal(statSync(f.backup).mode & 0o777, 0o600);
    assert.deepEqual(result.gitignoreUpdated, [path.join(ws.root, '.gitignore')]);
    assert.match(read(ws, '.gitignore'), /^\*\.before-secret-rotation\*$/m);
    for (const f of result.files) git(ws.root, 'check-ignore', '-q', path.relative(ws.root, f.backup));
    // No temporary files left behind.
    assert.deepEqual(readdirSync(ws.root).filter((n) => n.includes('.tmp')), []);
  });

  it('computeRotationEdits is exactly what applyRotation writes, and dotenv reads the planned values', async () => {
    const p = await plan('DATABASE_URL', { keepPrevious: true });
    const mainBefore = dotenvParse(read(ws, '.env'));
    const edits = computeRotationEdits(p, { now: NOW });
    const expected = new Map(edits.map((f) => [f.file, applyEditsInMemory(p.sources.get(f.file) as string, f.edits)]));
    for (const f of edits) {
      const lines = (p.sources.get(f.file) as string).split(/\r?\n/).length;
      for (const e of f.edits) {
        assert.ok(e.range.start.line < lines && e.range.end.line < lines, 'edits stay inside the file');
        assert.ok(e.range.start.line < e.range.end.line || (e.range.start.line === e.range.end.line && e.range.start.character <= e.range.end.character), 'ranges are ordered');
      }
    }
    await applyRotation(p, { now: NOW });
    // The independent judge: dotenv reads the new password in the URL, the old URL kept under
    // DATABASE_URL_PREVIOUS, and every other key exactly as before.
    const after = dotenvParse(read(ws, '.env'));
    const password = (u: string | undefined): string => decodeURIComponent(new URL(u as string).password);
    assert.equal(after.DATABASE_URL_PREVIOUS, mainBefore.DATABASE_URL);
    assert.notEqual(password(after.DATABASE_URL), password(mainBefore.DATABASE_URL));
    assert.equal(password(after.DATABASE_URL), p.newValue);
    for (const [k, v] of Object.entries(mainBefore)) if (k !== 'DATABASE_URL' && k !== 'POSTGRES_PASSWORD') assert.equal(after[k], v, k);
    assert.deepEqual([...expected.keys()].sort(), [path.join(ws.root, '.env'), path.join(ws.root, 'services/reporting/.env')]);
    for (const [file, text] of expected) assert.equal(readFileSync(file, 'utf8'), text);
  });

  it('a second rotation replaces the # rotated: line instead of adding one', async () => {
    await applyRotation(await plan('SESSION_SECRET', { skipConsumers: true }), { now: NOW });
    const p2 = await plan('SESSION_SECRET', { skipConsumers: true, now: new Date(2026, 6, 4) });
    await applyRotation(p2, { now: new Date(2026, 6, 4) });
    const env = read(ws, '.env');
    assert.equal(env.match(/# rotated:/g)?.length, 1);
    assert.match(env, /# rotated: 2026-07-04\nSESSION_SECRET="[^"]+"\n/);
    // The second backup did not overwrite the first.
    assert.ok(existsSync(path.join(ws.root, '.env.before-secret-rotation-2')));
    assert.equal(dotenvParse(env).SESSION_SECRET, p2.newValue);
  });

  it('encryption key: KEY_NEW is added and the old key left alone; --force replaces it', async () => {
    const p = await plan('APP_ENCRYPTION_KEY', { skipConsumers: true });
    const r = await applyRotation(p, { now: NOW });
    assert.equal(r.mode, 'add-new');
    const parsed = dotenvParse(read(ws, '.env'));
    assert.equal(parsed.APP_ENCRYPTION_KEY, CANARIES.encryption);
    assert.equal(parsed.APP_ENCRYPTION_KEY_NEW, p.newValue);
    assert.match(read(ws, '.env'), new RegExp(`APP_ENCRYPTION_KEY=${CANARIES.encryption}\n# rekey 2026-05-01: new APP_ENCRYPTION_KEY staged here; re-encrypt with both keys, then move it into APP_ENCRYPTION_KEY \\(see the runbook\\)\nAPP_ENCRYPTION_KEY_NEW=[0-9a-f]{64}\n`));
    // A rotation in progress blocks another one.
    const again = await plan('APP_ENCRYPTION_KEY', { skipConsumers: true });
    await assert.rejects(applyRotation(again), errorOf('blocked', (e) => assert.match(e.message, /APP_ENCRYPTION_KEY_NEW already exists/)));

    const forced = await plan('APP_ENCRYPTION_KEY', { skipConsumers: true, force: true });
    await applyRotation(forced, { now: NOW });
    assert.equal(dotenvParse(read(ws, '.env')).APP_ENCRYPTION_KEY, forced.newValue);
  });

  it('keep-previous: the old value under KEY_PREVIOUS or a chosen name; an existing one is updated in place', async () => {
    const p = await plan('SESSION_SECRET', { skipConsumers: true, keepPrevious: true });
    const r = await applyRotation(p, { now: NOW });
    assert.equal(r.keptPrevious, 'SESSION_SECRET_PREVIOUS');
    let parsed = dotenvParse(read(ws, '.env'));
    assert.equal(parsed.SESSION_SECRET_PREVIOUS, CANARIES.session);
    assert.equal(parsed.SESSION_SECRET, p.newValue);

    const p2 = await plan('SESSION_SECRET', { skipConsumers: true, keepPrevious: true });
    await applyRotation(p2, { now: NOW });
    parsed = dotenvParse(read(ws, '.env'));
    assert.equal(parsed.SESSION_SECRET_PREVIOUS, p.newValue);
    assert.equal(read(ws, '.env').match(/^SESSION_SECRET_PREVIOUS=/gm)?.length, 1);

    const p3 = await plan('REDIS_PASSWORD', { skipConsumers: true });
    await applyRotation(p3, { now: NOW, keepPrevious: 'REDIS_PASSWORD_OLD' });
    assert.equal(dotenvParse(read(ws, '.env')).REDIS_PASSWORD_OLD, CANARIES.redis);
  });

  it('quoting, export, inline comments and CRLF line endings are preserved', async () => {
    writeFileSync(path.join(ws.root, '.env'), 'export API_SECRET="Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0" # prod\r\nOTHER=1\r\n');
    const p = await plan('API_SECRET', { skipConsumers: true, kind: 'webhook-secret' });
    await applyRotation(p, { now: NOW });
    assert.equal(masked(read(ws, '.env'), p), '# rotated: 2026-05-01\r\nexport API_SECRET="<NEW>" # prod\r\nOTHER=1\r\n');
  });

  it('a value that needs quotes gets them (dotenv reads exactly the new value)', async () => {
    writeFileSync(path.join(ws.root, '.env'), 'TOKEN=abcdefghijklmnopqrstuvwxyz012345\n');
    const p = await plan('TOKEN', { skipConsumers: true, kind: 'generic-secret', newValue: 'has # hash and spaces ' });
    await applyRotation(p, { now: NOW });
    assert.equal(dotenvParse(read(ws, '.env')).TOKEN, 'has # hash and spaces ');
  });

  it('the file keeps its mode (atomic write through a temp file)', async function () {
    if (!posix) this.skip();
    chmodSync(path.join(ws.root, '.env'), 0o640);
    await applyRotation(await plan('SESSION_SECRET', { skipConsumers: true }), { now: NOW });
    assert.equal(statSync(path.join(ws.root, '.env')).mode & 0o777, 0o640);
  });

  it('post-write check: a writer that corrupts the file makes rekey restore every file and fail', async () => {
    const before = read(ws, '.env');
    const reportBefore = read(ws, 'services/reporting/.env');
    const p = await plan('POSTGRES_PASSWORD', { skipConsumers: true });
    const writeFile = (file: string, text: string): Promise<void> => {
      // Simulates a faulty disk or tool: the value lands truncated.
      writeFileSync(file, text.replace(p.newValue as string, (p.newValue as string).slice(0, 5)));
      return Promise.resolve();
    };
    await assert.rejects(
      applyRotation(p, { writeFile }),
      errorOf('verification-failed', (e) => {
        assert.match(e.message, /POSTGRES_PASSWORD has a different value|REPORTING_DB_PASSWORD has a different value/);
        assert.ok(!e.message.includes(p.newValue as string));
        assert.equal(e.restored.length, 2);
      }),
    );
    assert.equal(read(ws, '.env'), before);
    assert.equal(read(ws, 'services/reporting/.env'), reportBefore);
  });

  it('post-write check: the verification hook can force a mismatch, and the backup is restored', async () => {
    const before = read(ws, '.env');
    const p = await plan('SESSION_SECRET', { skipConsumers: true });
    await assert.rejects(applyRotation(p, { verifyHook: () => 'forced mismatch' }), errorOf('verification-failed'));
    assert.equal(read(ws, '.env'), before);
  });

  it('a failed write restores the files already written', async () => {
    const before = read(ws, '.env');
    const p = await plan('POSTGRES_PASSWORD', { skipConsumers: true });
    let calls = 0;
    const writeFile = (file: string, text: string): Promise<void> => {
      if (++calls === 2) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
      writeFileSync(file, text);
      return Promise.resolve();
    };
    await assert.rejects(applyRotation(p, { writeFile }), errorOf('write-failed', (e) => assert.deepEqual(e.restored, [path.join(ws.root, '.env')])));
    assert.equal(read(ws, '.env'), before);
  });

  it('a file changed since the plan is not touched', async () => {
    const p = await plan('SESSION_SECRET', { skipConsumers: true });
    writeFileSync(path.join(ws.root, '.env'), read(ws, '.env') + 'NEW_LINE=1\n');
    const after = read(ws, '.env');
    await assert.rejects(applyRotation(p), errorOf('file-changed'));
    assert.equal(read(ws, '.env'), after);
    assert.ok(!existsSync(path.join(ws.root, '.env.before-secret-rotation')));
  });

  it('a blocked plan is refused', async () => {
    await assert.rejects(applyRotation(await plan('MAILER_API_TOKEN', { skipConsumers: true })), errorOf('blocked'));
  });

  it('records the rotation (fingerprints only) for the key and its linked keys', async () => {
    const recorded: Array<{ file: string; key: string; fp: string; date: Date }> = [];
    const ledger: RotationRecorder = {
      fingerprint: (v) => `fp${v.length}`,
      recordRotation: (file, key, fp, date) => {
        recorded.push({ file, key, fp, date });
        return Promise.resolve();
      },
    };
    const p = await plan('POSTGRES_PASSWORD', { skipConsumers: true, keepPrevious: true });
    await applyRotation(p, { ledger, now: NOW });
    assert.deepEqual(
      recorded.map((r) => `${path.relative(ws.root, r.file)} ${r.key}`),
      ['.env POSTGRES_PASSWORD', '.env DATABASE_URL', `${path.join('services', 'reporting', '.env')} REPORTING_DB_PASSWORD`],
    );
    assert.equal(recorded[0]?.date, NOW);
  });

  it('outside a git work tree no .gitignore is written', async () => {
    const w = makeWorkspace('compose-stack', 'nogit', { git: false });
    try {
      const gitignore = readFileSync(path.join(w.root, '.gitignore'), 'utf8');
      const p = await planRotation({ workspaceRoot: w.root, file: '.env', key: 'SESSION_SECRET', options: { skipConsumers: true } });
      const r = await applyRotation(p, { trusted: false });
      assert.deepEqual(r.gitignoreUpdated, []);
      assert.equal(readFileSync(path.join(w.root, '.gitignore'), 'utf8'), gitignore);
    } finally {
      w.cleanup();
    }
  });

  it('untrusted: the .gitignore check reads .gitignore files instead of running git', async () => {
    const p = await plan('SESSION_SECRET', { skipConsumers: true, trusted: false });
    const r = await applyRotation(p, { trusted: false });
    assert.deepEqual(r.gitignoreUpdated, [path.join(ws.root, '.gitignore')]);
    git(ws.root, 'check-ignore', '-q', '.env.before-secret-rotation');
  });
});
