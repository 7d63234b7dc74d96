import * as assert from 'node:assert/strict';
import type { LedgerRun } from '../../../../src/core/age/ledger';
import { secretAge, type AgeInput, type BackupSnapshot } from '../../../../src/core/age/secretAge';
import { parseEnv } from '../../../../src/core/env/parse';

const NOW = new Date('2026-09-01T00:00:00Z');
const DAY = 86_400_000;
const ago = (days: number): number => NOW.getTime() - days * DAY;
const iso = (days: number): string => new Date(ago(days)).toISOString();

function input(text: string, extra: Partial<AgeInput> = {}): AgeInput {
  const entry = parseEnv(text).entries.find((e) => e.key === 'K');
  assert.ok(entry);
  return { entry, text, intervalDays: 90, now: NOW, ...extra };
}

function backup(days: number, text: string): BackupSnapshot {
  return { path: `/w/.env.bak${days}`, mtimeMs: ago(days), parsed: parseEnv(text) };
}

const FP = 'aaaaaaaaaaaaaaaa';
const OTHER = 'bbbbbbbbbbbbbbbb';

describe('secretAge', () => {
  it('annotation: exact date, ok / due-soon / overdue against the interval', () => {
    const at = (days: number) => secretAge(input(`# rotated: ${iso(days).slice(0, 10)}\nK=v\n`));
    assert.deepEqual(pick(at(10)), { source: 'annotation', bound: 'exact', ageDays: 10, status: 'ok', dueInDays: 80 });
    assert.deepEqual(pick(at(80)), { source: 'annotation', bound: 'exact', ageDays: 80, status: 'due-soon', dueInDays: 10 });
    assert.deepEqual(pick(at(120)), { source: 'annotation', bound: 'exact', ageDays: 120, status: 'overdue', dueInDays: -30 });
    assert.equal(secretAge(input(`# rotated: ${iso(80).slice(0, 10)}\nK=v\n`, { dueSoonDays: 5 })).status, 'ok', 'due-soon window is configurable');
  });

  it('ledger: a rotation recorded by rekey is exact', () => {
    const runs: LedgerRun[] = [{ fp: FP, since: iso(30), lastSeen: iso(1), rotated: true }];
    assert.deepEqual(pick(secretAge(input('K=v\n', { ledgerRuns: runs, fingerprint: FP }))), { source: 'ledger', bound: 'exact', ageDays: 30, status: 'ok', dueInDays: 60 });
  });

  it('ledger: a change seen between two close looks is exact; first sight alone is only a lower bound', () => {
    const changed: LedgerRun[] = [{ fp: OTHER, since: iso(300), lastSeen: iso(101) }, { fp: FP, since: iso(100), lastSeen: iso(1), previousSeen: iso(101) }];
    assert.deepEqual(pick(secretAge(input('K=v\n', { ledgerRuns: changed, fingerprint: FP }))), { source: 'ledger', bound: 'exact', ageDays: 100, status: 'overdue', dueInDays: -10 });
    const first: LedgerRun[] = [{ fp: FP, since: iso(20), lastSeen: iso(1) }];
    const r = secretAge(input('K=v\n', { ledgerRuns: first, fingerprint: FP }));
    assert.deepEqual(pick(r), { source: 'ledger', bound: 'at-least', ageDays: 20, status: 'unknown', dueInDays: undefined });
  });

  it('ledger: a value different from the last one seen is newer than that look', () => {
    const runs: LedgerRun[] = [{ fp: OTHER, since: iso(300), lastSeen: iso(5) }];
    assert.deepEqual(pick(secretAge(input('K=v\n', { ledgerRuns: runs, fingerprint: FP }))), { source: 'ledger', bound: 'at-most', ageDays: 5, status: 'ok', dueInDays: undefined });
  });

  it('ledger: a rotation undone (the old value back, a backup taken before the rotation holds it) dates nothing', () => {
    // Before the rotation: rekey had seen the value for 200 days, the one before it last 201 days ago.
    const before: LedgerRun[] = [{ fp: OTHER, since: iso(400), lastSeen: iso(201) }, { fp: FP, since: iso(200), lastSeen: iso(1), previousSeen: iso(201) }];
    const rotatedAt = ago(0.5);
    const rotation: LedgerRun = { fp: 'cccccccccccccccc', since: new Date(rotatedAt).toISOString(), lastSeen: new Date(rotatedAt).toISOString(), previousSeen: iso(1), rotated: true };
    const rotationBackup: BackupSnapshot = { path: '/w/.env.before-secret-rotation', mtimeMs: rotatedAt - 50, parsed: parseEnv('K=v\n') };
    const expected = pick(secretAge(input('K=v\n', { ledgerRuns: before, fingerprint: FP })));
    assert.deepEqual(expected, { source: 'ledger', bound: 'exact', ageDays: 200, status: 'overdue', dueInDays: -110 });
    const undone = secretAge(input('K=v\n', { ledgerRuns: [...before, rotation], fingerprint: FP, backups: [rotationBackup] }));
    assert.deepEqual(pick(undone), expected, 'unsaved undo: the age before the rotation');
    assert.equal(undone.rotation, undefined, 'no rotation stage for a value rekey did not rotate to');
    // The undo saved: rekey saw the old value again just after the rotation.
    const seenAgain: LedgerRun = { fp: FP, since: iso(0.4), lastSeen: iso(0.4), previousSeen: rotation.lastSeen };
    assert.deepEqual(pick(secretAge(input('K=v\n', { ledgerRuns: [...before, rotation, seenAgain], fingerprint: FP, backups: [rotationBackup] }))), expected, 'saved undo');
    // Without earlier records of the value: as unknown as it was before the rotation, not "ok".
    const fresh = secretAge(input('K=v\n', { ledgerRuns: [rotation], fingerprint: FP, backups: [rotationBackup], fileMtimeMs: ago(3) }));
    assert.equal(fresh.status, 'unknown');
    // A new value written after a rotation (no backup holds it) is still newer than the rotation.
    const replaced = secretAge(input('K=w\n', { ledgerRuns: [...before, rotation], fingerprint: 'dddddddddddddddd', backups: [rotationBackup] }));
    assert.deepEqual(pick(replaced), { source: 'ledger', bound: 'at-most', ageDays: 0, status: 'ok', dueInDays: undefined });
    // A backup taken after the rotation does not undo it.
    const later: BackupSnapshot = { ...rotationBackup, mtimeMs: rotatedAt + 60_000 };
    assert.equal(secretAge(input('K=v\n', { ledgerRuns: [...before, rotation], fingerprint: FP, backups: [later] })).status, 'ok');
  });

  it('git: the commit that introduced the value, unless the working copy differs', () => {
    const git = { commit: '1a2b3c4d5e6f', date: new Date(ago(40)) };
    assert.deepEqual(pick(secretAge(input('K=v\n', { git }))), { source: 'git', bound: 'exact', ageDays: 40, status: 'ok', dueInDays: 50 });
    assert.match(secretAge(input('K=v\n', { git })).detail, /git commit 1a2b3c4/);
    const differs = secretAge(input('K=v\n', { git: { ...git, valueFingerprint: OTHER }, fingerprint: FP, fileMtimeMs: ago(3) }));
    assert.equal(differs.source, 'mtime');
    assert.match(differs.notes.join(), /working copy's value differs/);
    assert.equal(secretAge(input('K=v\n', { git: { ...git, sameValue: (v) => v === 'v' } })).source, 'git');
    assert.equal(secretAge(input('K=v\n', { git: { ...git, sameValue: () => false } })).source, 'unknown');
  });

  it('backup with a different value: the value is at most that old', () => {
    const r = secretAge(input('K=v\n', { backups: [backup(30, 'K=old\n'), backup(200, 'K=older\n')], fileMtimeMs: ago(2) }));
    assert.deepEqual(pick(r), { source: 'backup', bound: 'at-most', ageDays: 30, status: 'ok', dueInDays: undefined });
    assert.equal(r.minAgeDays, 2);
    assert.equal(r.maxAgeDays, 30);
    assert.match(r.detail, /changed after the backup \.env\.bak30/);
    // Straddling the due-soon window: due soon at the latest.
    assert.equal(secretAge(input('K=v\n', { backups: [backup(85, 'K=old\n')] })).status, 'due-soon');
    // A backup lacking the key also means the key came later.
    assert.equal(secretAge(input('K=v\n', { backups: [backup(30, 'OTHER=1\n')] })).bound, 'at-most');
  });

  it('backup with the same value, or the file mtime: at least that old', () => {
    const same = secretAge(input('K=v\n', { backups: [backup(150, 'K=v\n')], fileMtimeMs: ago(10) }));
    assert.deepEqual(pick(same), { source: 'backup', bound: 'at-least', ageDays: 150, status: 'overdue', dueInDays: undefined });
    const mtime = secretAge(input('K=v\n', { fileMtimeMs: ago(12) }));
    assert.deepEqual(pick(mtime), { source: 'mtime', bound: 'at-least', ageDays: 12, status: 'unknown', dueInDays: undefined });
    assert.equal(secretAge(input('K=v\n', { fileMtimeMs: ago(100) })).status, 'overdue', 'an old mtime proves overdue');
    const none = secretAge(input('K=v\n'));
    assert.deepEqual(pick(none), { source: 'unknown', bound: undefined, ageDays: undefined, status: 'unknown', dueInDays: undefined });
    assert.equal(none.since, undefined);
  });

  it('priority: annotation > ledger > git > backup > mtime', () => {
    const text = `# rotated: ${iso(15).slice(0, 10)}\nK=v\n`;
    const all: Partial<AgeInput> = {
      ledgerRuns: [{ fp: FP, since: iso(10), lastSeen: iso(1), rotated: true }],
      fingerprint: FP,
      git: { commit: 'cafe', date: new Date(ago(20)) },
      backups: [backup(30, 'K=old\n')],
      fileMtimeMs: ago(4),
    };
    assert.equal(secretAge(input(text, all)).source, 'annotation');
    assert.equal(secretAge(input('K=v\n', all)).source, 'ledger');
    const { ledgerRuns: _l, ...noLedger } = all;
    assert.equal(secretAge(input('K=v\n', noLedger)).source, 'git');
    const { git: _g, ...noGit } = noLedger;
    assert.equal(secretAge(input('K=v\n', noGit)).source, 'backup');
    const { backups: _b, ...onlyMtime } = noGit;
    assert.equal(secretAge(input('K=v\n', onlyMtime)).source, 'mtime');
    // First sight in the ledger is weaker than git's dated commit.
    const seen = { ...all, ledgerRuns: [{ fp: FP, since: iso(1), lastSeen: iso(1) }] };
    assert.equal(secretAge(input('K=v\n', seen)).source, 'git');
  });

  it('resolves a contradiction toward the older proof and says so', () => {
    // A backup 40 days ago held another value, yet the comment dates this one 100 days back (a
    // value put back after a rotation): the age is never younger than the oldest proof.
    const r = secretAge(input(`# rotated: ${iso(100).slice(0, 10)}\nK=v\n`, { backups: [backup(40, 'K=old\n')], fileMtimeMs: ago(39) }));
    assert.equal(r.source, 'annotation');
    assert.equal(r.ageDays, 100);
    assert.match(r.notes.join('\n'), /older proof is used/);
    const future = secretAge(input(`# rotated: 2027-01-01\nK=v\n`));
    assert.match(future.notes.join('\n'), /in the future/);
    const stale = secretAge(input(`# rotated: ${iso(5).slice(0, 10)}\nK=v\n`, { backups: [backup(200, 'K=v\n')] }));
    assert.equal(stale.source, 'backup', 'a backup already held this value long before the claimed rotation');
    assert.equal(stale.status, 'overdue');
  });
});

function pick(r: ReturnType<typeof secretAge>): Record<string, unknown> {
  return { source: r.source, bound: r.bound, ageDays: r.ageDays, status: r.status, dueInDays: r.dueInDays };
}
