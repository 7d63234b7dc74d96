import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as dotenvParse } from 'dotenv';
import { cli } from '../../helpers/cli';
import { git, makeWorkspace } from '../core/backup/gitRepo';

/*
 * "What changed, since when, and is it handled": the scenarios of a user who rotates, restores
 * and retires, in real git repositories with real files, judged by dotenv and by rekey's JSON.
 * Values are made up for these tests (shaped like the seed runbook's PROXYOS_SECRET).
 */

const AUTH_NOW = 'Zq8Wv3Lk9Rt2Xp7Mn4Bc6Hd1Jf5Gs0Ya';
const AUTH_OLD = 'Ow1Ld9Rt2Xp7Mn4Bc6Hd1Jf5Gs0YaZq8';
const PG = 'Pg5Tr8Wq2Lm6Nb3Vc9Xz1Ka4';
const DAY = 86_400_000;

interface Finding {
  file: string;
  key?: string;
  rule: string;
  severity: string;
}

function workspace(files: Record<string, string>): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = makeWorkspace({ '.gitignore': '.env*\n!.env.example\n', ...files }, { git: true });
  git(dir, 'add', '.gitignore');
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'init');
  return { dir, env: { REKEY_STATE_DIR: mkdtempSync(path.join(os.tmpdir(), 'rekey-state-')) } };
}

async function findings(dir: string, env: NodeJS.ProcessEnv): Promise<Finding[]> {
  const r = await cli(['scan', '--format', 'json', '--fail-on', 'never'], dir, { env });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
}

const liveEnv = `AUTH_SECRET=${AUTH_NOW}\nPOSTGRES_PASSWORD=${PG}\n`;

describe('baselines: a rotation never hides an accidental change', () => {
  it('the AUTH_SECRET change against the user\'s .env.backup survives rotating POSTGRES_PASSWORD', async () => {
    const { dir, env } = workspace({ '.env': liveEnv, '.env.backup': `AUTH_SECRET=${AUTH_OLD}\nPOSTGRES_PASSWORD=${PG}\n` });
    const before = (await findings(dir, env)).filter((f) => f.rule === 'changed-since-backup');
    assert.deepEqual(before.map((f) => `${f.key} ${f.severity}`), ['AUTH_SECRET error']);
    const rot = await cli(['rotate', 'POSTGRES_PASSWORD'], dir, { env });
    assert.equal(rot.code, 0, rot.stderr);
    const after = await findings(dir, env);
    const changed = after.filter((f) => f.rule === 'changed-since-backup');
    assert.deepEqual(changed.map((f) => `${f.key} ${f.severity}`).sort(), ['AUTH_SECRET error', 'POSTGRES_PASSWORD info'], 'the accidental change stays an error; the rotation is explained');
    // rekey's own backup is one item, not a baseline and not an alarm.
    // (Secret detection lists the secrets of every .env-family file; those are not alarms.)
    const own = after.filter((f) => f.file.endsWith('.env.before-secret-rotation') && f.rule !== 'secret');
    assert.deepEqual(own.map((f) => `${f.rule} ${f.severity}`), ['rotation-backup info']);
  });
});

describe('rotation lifecycle: a clean workspace gets back to a clean scan', () => {
  it('rotate → verify → retire: scan --fail-on warning exits 0 throughout, and retire leaves no backup', async () => {
    const { dir, env } = workspace({ '.env': liveEnv });
    assert.equal((await cli(['scan', '--fail-on', 'warning'], dir, { env })).code, 0, 'clean before');
    const rot = await cli(['rotate', 'AUTH_SECRET'], dir, { env });
    assert.equal(rot.code, 0, rot.stderr);
    const backup = path.join(dir, '.env.before-secret-rotation');
    assert.equal(dotenvParse(readFileSync(backup)).AUTH_SECRET, AUTH_NOW, 'the old value is retrievable');
    const mid = await cli(['scan', '--fail-on', 'warning'], dir, { env });
    assert.equal(mid.code, 0, mid.stdout);
    const list = await cli(['retire'], dir, { env });
    assert.match(list.stdout, /\.env\.before-secret-rotation: rotation of AUTH_SECRET on \d{4}-\d\d-\d\d/);
    const ret = await cli(['retire', '.env.before-secret-rotation'], dir, { env });
    assert.equal(ret.code, 0, ret.stderr);
    assert.equal(existsSync(backup), false);
    const end = await cli(['scan', '--format', 'json', '--fail-on', 'warning'], dir, { env });
    assert.equal(end.code, 0, end.stdout);
    assert.deepEqual((JSON.parse(end.stdout) as { findings: Finding[] }).findings.filter((f) => f.severity !== 'info'), []);
    assert.equal(git(dir, 'status', '--porcelain').trim(), '', 'nothing for git to add');
  });

  it('rotate → restore: the restore copy is git-ignored and scan --fail-on warning exits 0', async () => {
    const { dir, env } = workspace({ '.env': liveEnv });
    assert.equal((await cli(['rotate', 'AUTH_SECRET'], dir, { env })).code, 0);
    const res = await cli(['restore', 'AUTH_SECRET', '--from', '.env.before-secret-rotation'], dir, { env });
    assert.equal(res.code, 0, res.stderr);
    assert.equal(dotenvParse(readFileSync(path.join(dir, '.env'))).AUTH_SECRET, AUTH_NOW);
    git(dir, 'check-ignore', '-q', '.env.before-restore');
    const scan = await cli(['scan', '--format', 'json', '--fail-on', 'warning'], dir, { env });
    assert.equal(scan.code, 0, scan.stdout);
    const fs = (JSON.parse(scan.stdout) as { findings: Finding[] }).findings;
    assert.deepEqual(fs.filter((f) => f.rule === 'backup-not-ignored' || f.rule === 'changed-since-backup'), []);
    // A plain diff-backup compares with the user's baseline, not with rekey's restore copy.
    const diff = await cli(['diff-backup'], dir, { env });
    assert.doesNotMatch(diff.stdout + diff.stderr, /sessions are now invalid/i);
  });

  it('rotating a password that leaked into git history: the rotation backup is not a new leak', async () => {
    const { dir, env } = workspace({ '.env': liveEnv });
    // The .env was committed once, then untracked: its values are in history.
    git(dir, 'add', '-f', '.env');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'oops');
    git(dir, 'rm', '-q', '--cached', '.env');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'untrack');
    const before = (await findings(dir, env)).filter((f) => f.rule === 'leaked-in-history' && f.key === 'POSTGRES_PASSWORD');
    assert.deepEqual(before.map((f) => `${path.basename(f.file)} ${f.severity}`), ['.env error'], 'control: the leak is reported');
    assert.equal((await cli(['rotate', 'POSTGRES_PASSWORD'], dir, { env })).code, 0);
    const after = await findings(dir, env);
    const leaks = after.filter((f) => f.rule === 'leaked-in-history' && f.key === 'POSTGRES_PASSWORD');
    assert.deepEqual(leaks.map((f) => `${path.basename(f.file)} ${f.severity}`), ['.env info'], 'rotated since exposure, and nothing on the backup');
    const own = after.filter((f) => f.file.endsWith('.env.before-secret-rotation') && f.rule !== 'secret');
    assert.deepEqual(own.map((f) => `${f.rule} ${f.severity}`), ['rotation-backup info']);
  });

  it('retire refuses a backup the user made', async () => {
    const { dir, env } = workspace({ '.env': liveEnv, '.env.backup': liveEnv });
    const r = await cli(['retire', '.env.backup'], dir, { env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a backup rekey made/);
    assert.ok(existsSync(path.join(dir, '.env.backup')));
  });
});

describe('a rollback does not hide an overdue secret', () => {
  it('restoring a 1,052-day-old value removes the rotation comment, so its age is its own', async () => {
    const old = new Date(Date.now() - 1052 * DAY);
    const { dir, env } = workspace({ '.env': `# rotated: ${old.toISOString().slice(0, 10)}\nAUTH_SECRET=${AUTH_NOW}\n` });
    assert.equal((await cli(['rotate', 'AUTH_SECRET'], dir, { env })).code, 0);
    assert.equal((await cli(['restore', 'AUTH_SECRET', '--from', '.env.before-secret-rotation'], dir, { env })).code, 0);
    const text = readFileSync(path.join(dir, '.env'), 'utf8');
    assert.equal(dotenvParse(text).AUTH_SECRET, AUTH_NOW);
    assert.match(text, new RegExp(`^# rotated: ${old.toISOString().slice(0, 10)}$`, 'm'), "the backup's own comment is back");
    const ages = JSON.parse((await cli(['ages', '--format', 'json', '--no-ledger'], dir, { env })).stdout) as { secrets: Array<{ key: string; ageDays: number; status: string }> };
    const a = ages.secrets.find((s) => s.key === 'AUTH_SECRET');
    assert.equal(a?.status, 'overdue');
    assert.ok((a?.ageDays ?? 0) >= 1051, `age ${a?.ageDays}`);
  });
});

describe('ages never younger than the oldest proof', () => {
  it('a value committed long ago stays old when a backup holding another value is touched today', async () => {
    const { dir, env } = workspace({});
    writeFileSync(path.join(dir, 'config.env'), `AUTH_SECRET=${AUTH_NOW}\n`);
    git(dir, 'add', '-f', 'config.env');
    process.env.GIT_COMMITTER_DATE = process.env.GIT_AUTHOR_DATE = '2025-02-01T00:00:00Z';
    try {
      git(dir, 'commit', '-qm', 'add');
    } finally {
      delete process.env.GIT_COMMITTER_DATE;
      delete process.env.GIT_AUTHOR_DATE;
    }
    writeFileSync(path.join(dir, 'config.env.backup'), `AUTH_SECRET=${AUTH_OLD}\n`);
    const now = new Date();
    utimesSync(path.join(dir, 'config.env.backup'), now, now);
    const ages = JSON.parse((await cli(['ages', '--format', 'json', '--no-ledger'], dir, { env })).stdout) as { secrets: Array<{ key: string; since: string; source: string; bound: string }> };
    const a = ages.secrets.find((s) => s.key === 'AUTH_SECRET');
    assert.ok(a && a.since <= '2025-02-02', `since ${a?.since} from ${a?.source} (${a?.bound})`);
  });
});

describe('one ledger, any key name', () => {
  it('rekey ages works with keys named like Object.prototype members', async () => {
    const { dir, env } = workspace({ '.env': 'constructor=Hq3v9Lr2Xz7Kp5Wm1Tb8Ny4Gd6Fs0Ja\ntoString=Pz4x8Mv2Lq6Rn0Tb3Wk7Yc1Hd5Gf9Sj\n__proto__=Lk9Rt2Xp7Mn4Bc6Hd1Jf5Gs0YaZq8W\nvalueOf_SECRET=Mn4Bc6Hd1Jf5Gs0YaZq8Wv3Lk9Rt2X\n' });
    for (let i = 0; i < 2; i++) {
      const r = await cli(['ages', '--format', 'json'], dir, { env });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /is not a function/);
    }
  });
});
