import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../helpers/cli';
import { git, makeWorkspace } from '../core/backup/gitRepo';

const DAY = 86_400_000;
const daysAgo = (n: number): Date => new Date(Date.now() - n * DAY);
const isoDay = (n: number): string => daysAgo(n).toISOString().slice(0, 10);

interface AgesJson {
  version: number;
  secrets: Array<{ file: string; key: string; kind: string; since: string | null; ageDays: number | null; source: string; intervalDays: number; status: string; bound: string | null }>;
}

function stateEnv(): { REKEY_STATE_DIR: string } {
  return { REKEY_STATE_DIR: mkdtempSync(path.join(os.tmpdir(), 'rekey-state-')) };
}

describe('rekey ages', () => {
  it('prints the documented JSON with a source for every secret', async () => {
    const dir = makeWorkspace({
      '.env': `# rotated: ${isoDay(100)}\nSESSION_SECRET=Hq3v9Lr2Xz7Kp5Wm1Tb8Ny4Gd6Fs0Ja\nJWT_SECRET=Pz4x8Mv2Lq6Rn0Tb3Wk7Yc1Hd5Gf9Sj\nPORT=3000\n`,
      '.env.bak': 'JWT_SECRET=Old0x8Mv2Lq6Rn0Tb3Wk7Yc1Hd5Gf9Sj\n',
    });
    utimesSync(path.join(dir, '.env.bak'), daysAgo(20), daysAgo(20));
    const r = await cli(['ages', '--format', 'json'], dir, { env: stateEnv() });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as AgesJson;
    assert.equal(out.version, 1);
    const by = new Map(out.secrets.map((s) => [s.key, s]));
    assert.deepEqual(Object.keys(by.get('SESSION_SECRET')!).slice(0, 8), ['file', 'key', 'kind', 'since', 'ageDays', 'source', 'intervalDays', 'status']);
    assert.deepEqual(
      { ...by.get('SESSION_SECRET'), since: by.get('SESSION_SECRET')!.since?.slice(0, 10) },
      { ...by.get('SESSION_SECRET'), file: '.env', key: 'SESSION_SECRET', kind: 'session-signing', since: isoDay(100), ageDays: 100, source: 'annotation', intervalDays: 90, status: 'overdue', bound: 'exact' },
    );
    assert.deepEqual([by.get('JWT_SECRET')?.source, by.get('JWT_SECRET')?.bound, by.get('JWT_SECRET')?.status], ['backup', 'at-most', 'ok']);
    assert.equal(by.has('PORT'), false);
  });

  it('uses git history for tracked files, and prints a table', async () => {
    const dir = makeWorkspace({ 'app/.env': 'DB_PASSWORD=Vt7Qw2Ze9Rx4Kp1Lm8Nb3Hc6Jd0Fg5S\n' }, { git: true });
    git(dir, 'add', '-f', 'app/.env');
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'x'], {
      cwd: dir,
      env: { ...process.env, GIT_AUTHOR_DATE: daysAgo(200).toISOString(), GIT_COMMITTER_DATE: daysAgo(200).toISOString() },
    });
    const json = JSON.parse((await cli(['ages', '--format', 'json'], dir, { env: stateEnv() })).stdout) as AgesJson;
    assert.deepEqual([json.secrets[0]?.file, json.secrets[0]?.source, json.secrets[0]?.ageDays, json.secrets[0]?.status], ['app/.env', 'git', 200, 'overdue']);
    const text = await cli(['ages', 'app'], dir, { env: stateEnv() });
    assert.match(text.stdout, /^FILE +KEY +KIND +SINCE +AGE +INTERVAL +SOURCE +ROTATION +STATUS$/m);
    assert.match(text.stdout, /app\/\.env:1 +DB_PASSWORD +database-password +\d{4}-\d{2}-\d{2} +200d +90d +git +- +overdue/);
    assert.match(text.stdout, /1 secret: 1 overdue, 0 due soon, 0 ok, 0 unknown/);
  });

  it('keeps a ledger in REKEY_STATE_DIR (fingerprints only) unless --no-ledger', async () => {
    const value = 'CANARYledger7c6b5a4f3e2d1';
    const dir = makeWorkspace({ '.env': `API_TOKEN=${value}\n` });
    const env = stateEnv();
    await cli(['ages'], dir, { env });
    const ledger = readFileSync(path.join(env.REKEY_STATE_DIR, 'ledger.json'), 'utf8');
    assert.match(ledger, /"API_TOKEN"/);
    assert.ok(!ledger.includes(value));
    writeFileSync(path.join(dir, '.env'), `API_TOKEN=${value}-rotated\n`);
    const after = JSON.parse((await cli(['ages', '--format', 'json'], dir, { env })).stdout) as AgesJson;
    assert.deepEqual([after.secrets[0]?.source, after.secrets[0]?.bound], ['ledger', 'at-most'], 'the change is dated by the previous look');
    const other = stateEnv();
    await cli(['ages', '--no-ledger'], dir, { env: other });
    assert.throws(() => readFileSync(path.join(other.REKEY_STATE_DIR, 'ledger.json')));
  });

  it('rejects bad arguments with exit 2 and one line', async () => {
    const dir = makeWorkspace({ '.env': 'A=1\n' });
    for (const argv of [['ages', 'missing'], ['ages', '--format', 'xml'], ['ages', '--due-soon', 'soon']]) {
      const r = await cli(argv, dir, { env: stateEnv() });
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    assert.match((await cli(['ages'], dir, { env: stateEnv() })).stdout, /No secrets found/);
  });
});
