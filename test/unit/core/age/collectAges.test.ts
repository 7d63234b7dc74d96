import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectAges, type LiveSecrets } from '../../../../src/core/age/collectAges';
import { Ledger } from '../../../../src/core/age/ledger';
import type { GitAgesFn, GitValueAge } from '../../../../src/core/age/secretAge';
import { detectSecrets } from '../../../../src/core/detect/detect';
import { parseEnv } from '../../../../src/core/env/parse';
import { git, makeWorkspace } from '../backup/gitRepo';

const NOW = new Date('2026-09-01T00:00:00Z');
const DAY = 86_400_000;
const ago = (days: number): Date => new Date(NOW.getTime() - days * DAY);

/**
 * A real git value-age source for tests: the last commit touching the file, and whether the
 * committed value equals the working copy's. (The history issue provides the production one.)
 */
const realGitAges: GitAgesFn = (root, rels) => {
  const out = new Map<string, Map<string, GitValueAge>>();
  for (const rel of rels) {
    let log: string;
    try {
      log = execFileSync('git', ['log', '-1', '--format=%H %cI', '--', rel], { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      continue;
    }
    if (!log) continue;
    const [commit, date] = log.split(' ') as [string, string];
    const committed = parseEnv(execFileSync('git', ['show', `HEAD:${rel}`], { cwd: root, encoding: 'utf8' }));
    const byKey = new Map<string, GitValueAge>();
    for (const e of committed.entries) byKey.set(e.key, { commit, date, sameValue: (v) => v === e.value });
    out.set(rel, byKey);
  }
  return Promise.resolve(out);
};

function live(file: string): LiveSecrets {
  const text = readFileSync(file, 'utf8');
  const parsed = parseEnv(text);
  return { file: { path: file, text, parsed, mtimeMs: statSync(file).mtimeMs }, secrets: detectSecrets(parsed, text) };
}

function commitAt(dir: string, date: Date, ...files: string[]): void {
  git(dir, 'add', '-f', ...files);
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'c'], {
    cwd: dir,
    env: { ...process.env, GIT_AUTHOR_DATE: date.toISOString(), GIT_COMMITTER_DATE: date.toISOString() },
  });
}

describe('collectAges (real files, real git, real ledger)', () => {
  it('dates each secret from the best source, in priority order', async () => {
    const dir = makeWorkspace({
      '.env': `# rotated: ${ago(10).toISOString().slice(0, 10)}\nANNOTATED_SECRET=a1\nLEDGER_SECRET=l1\nGIT_SECRET=g1\nBACKUP_SECRET=b1\nMTIME_SECRET=m1\n`,
    }, { git: true });
    commitAt(dir, ago(40), '.env');
    const envFile = path.join(dir, '.env');
    writeFileSync(path.join(dir, '.env.bak'), 'ANNOTATED_SECRET=a0\nLEDGER_SECRET=l1\nGIT_SECRET=g1\nBACKUP_SECRET=b0\nMTIME_SECRET=m1\n');
    utimesSync(path.join(dir, '.env.bak'), ago(25), ago(25));
    utimesSync(envFile, ago(3), ago(3));
    const ledger = await Ledger.open(mkdtempSync(path.join(os.tmpdir(), 'rekey-state-')));
    await ledger.recordRotation(envFile, 'LEDGER_SECRET', ledger.fingerprint('l1')!, ago(60));

    const item = live(envFile);
    // git knows only GIT_SECRET and the others, as committed; make the others' committed values differ.
    const gitAges: GitAgesFn = async (root, rels) => {
      const m = await realGitAges(root, rels);
      for (const byKey of m.values()) for (const k of ['BACKUP_SECRET', 'MTIME_SECRET']) byKey.delete(k);
      return m;
    };
    const backups = new Map([[envFile, [{ path: path.join(dir, '.env.bak'), mtimeMs: ago(25).getTime(), parsed: parseEnv(readFileSync(path.join(dir, '.env.bak'), 'utf8')) }]]]);
    const reports = await collectAges([item], { now: NOW, ledger, gitAges, trusted: true, backups });
    const by = Object.fromEntries(reports.map((r) => [r.key, `${r.source}/${r.bound}/${r.ageDays}/${r.status}`]));
    assert.deepEqual(by, {
      ANNOTATED_SECRET: 'annotation/exact/10/ok',
      LEDGER_SECRET: 'ledger/exact/60/ok',
      GIT_SECRET: 'git/exact/40/ok',
      BACKUP_SECRET: 'backup/at-most/25/ok',
      MTIME_SECRET: 'backup/at-least/25/unknown',
    });
    // Without the backup, MTIME_SECRET falls back to the file's modification time.
    const noBackup = await collectAges([item], { now: NOW, trusted: true });
    assert.equal(noBackup.find((r) => r.key === 'MTIME_SECRET')?.source, 'mtime');
    assert.equal(noBackup.find((r) => r.key === 'MTIME_SECRET')?.ageDays, 3);
  });

  it('uses git only when trusted, and survives a failing git source', async () => {
    const dir = makeWorkspace({ '.env': 'JWT_SECRET=j1\n' }, { git: true });
    commitAt(dir, ago(100), '.env');
    const item = live(path.join(dir, '.env'));
    let calls = 0;
    const counting: GitAgesFn = (root, rels) => {
      calls++;
      return realGitAges(root, rels);
    };
    assert.equal((await collectAges([item], { now: NOW, gitAges: counting, trusted: false }))[0]?.source, 'mtime');
    assert.equal(calls, 0);
    const [trusted] = await collectAges([item], { now: NOW, gitAges: counting, trusted: true });
    assert.deepEqual([trusted?.source, trusted?.status, trusted?.ageDays], ['git', 'overdue', 100]);
    const warnings: string[] = [];
    const logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (m: string) => warnings.push(m), error: () => undefined };
    const failing = await collectAges([item], { now: NOW, gitAges: () => Promise.reject(new Error('boom')), trusted: true, logger });
    assert.equal(failing[0]?.source, 'mtime');
    assert.match(warnings.join(), /git value ages unavailable/);
  });

  it('records what it sees, so that a later change is dated by the ledger', async () => {
    const dir = makeWorkspace({ '.env': 'SESSION_SECRET=first\n' });
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'rekey-state-'));
    const envFile = path.join(dir, '.env');
    const run = async (now: Date) => collectAges([live(envFile)], { now, ledger: await Ledger.open(stateDir), record: true });
    await run(ago(50));
    await run(ago(45));
    writeFileSync(envFile, 'SESSION_SECRET=second\n');
    const [changedNow] = await run(ago(44));
    // Seen for the first time now, after "first" was last seen a day ago: dated to within a day.
    assert.deepEqual([changedNow?.source, changedNow?.bound], ['ledger', 'at-most']);
    const [later] = await run(NOW);
    assert.deepEqual([later?.source, later?.bound, later?.ageDays, later?.status], ['ledger', 'exact', 44, 'ok']);
    assert.ok(!readFileSync(path.join(stateDir, 'ledger.json'), 'utf8').includes('second'));
  });

  it('uses the detected secret\'s interval (the user\'s override) for the status', async () => {
    const dir = makeWorkspace({ '.env': `# rotated: ${ago(40).toISOString().slice(0, 10)}\nAPI_TOKEN=t1\n` });
    const item = live(path.join(dir, '.env'));
    assert.equal((await collectAges([item], { now: NOW }))[0]?.status, 'ok');
    const overridden = { ...item, secrets: item.secrets.map((s) => ({ ...s, intervalDays: 30 })) };
    const [r] = await collectAges([overridden], { now: NOW });
    assert.deepEqual([r?.status, r?.intervalDays, r?.dueInDays], ['overdue', 30, -10]);
  });
});
