import * as path from 'node:path';
import { secretsForScanFile, detectOptionsForScan } from '../detect/scanSecrets';
import { KINDS, aKindName } from '../catalog/kinds';
import { kindHintsForScan } from '../detect/scanKindHints';
import type { AuthSecretHint } from '../consumers/authSecretHints';
import { readAnnotations } from '../detect/annotations';
import { detectEntry } from '../detect/detect';
import type { EnvEntry } from '../env/types';
import type { Finding, RelatedInfo } from '../findings/finding';
import { registerRules } from '../findings/ruleInfo';
import type { RuleProvider, ScanContext, ScanFile } from '../findings/scanContext';
import { shellQuote } from '../text/shellQuote';
import { classifyEnvFileName } from '../workspace/envFileNames';
import { gitFileStates, GitUnavailableError } from './backupGit';
import { changeSeverity } from './compare';
import { readRekeyBackupHeader, type RekeyBackupInfo } from '../env/rekeyBackupHeader';
import { Ledger } from '../age/ledger';
import { readAgeSettings } from '../age/ageSettings';
import { stateDir } from '../state/stateDir';
import { backupsForScan, type ScanBackup } from './scanBackups';

registerRules([
  { id: 'changed-since-backup', name: 'SecretChangedSinceBackup', description: 'A secret whose value differs from its backup (or that the backup has and the file lost). Errors for session-signing secrets (every user is logged out) and encryption keys (data cannot be decrypted).', severity: 'warning', security: true },
  { id: 'backup-tracked', name: 'BackupTrackedByGit', description: 'A backup of a .env file that git tracks: it leaks the same secrets as the .env file would.', severity: 'error', security: true },
  { id: 'backup-not-ignored', name: 'BackupNotIgnored', description: 'A backup of a .env file that git does not ignore: the next `git add .` commits its secrets.', severity: 'error', security: true },
  { id: 'backup-permissions', name: 'BackupReadableByOthers', description: 'A backup of a .env file that other users of the machine can read.', severity: 'warning', security: true },
  { id: 'rotation-backup', name: 'RotationBackupToRetire', description: 'A backup rekey made before rotating or restoring a value: one item per change, to delete (`rekey retire`, or the Retire Rotation Backup quick fix) once the new value works everywhere.', severity: 'info' },
  { id: 'backup-stale', name: 'StaleBackup', description: 'A backup older than the rotation interval that still holds the current secret values: those secrets were not rotated since.', severity: 'info' },
]);

const FILE_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const DAY = 86_400_000;
/** An annotation dated this close before the backup still explains the change (date-only annotations). */
const ANNOTATION_SLACK = DAY;

function lastEntries(file: ScanFile): Map<string, EnvEntry> {
  const m = new Map<string, EnvEntry>();
  for (const e of file.parsed?.entries ?? []) m.set(e.key, e);
  return m;
}

/** How a path is named in a message: relative to the scan root that holds it. */
function shownPath(ctx: ScanContext, file: string): string {
  for (const r of ctx.roots) {
    const root = classifyEnvFileName(r) ? path.dirname(r) : r;
    const rel = path.relative(root, file);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return file;
}

function consumerText(hint: AuthSecretHint | undefined): string {
  return hint ? ` (${hint.consumer} receives it as its signing secret at ${hint.detail})` : '';
}

/**
 * Backup rules: `changed-since-backup` on live files, and hygiene of each backup file
 * (`backup-tracked`, `backup-not-ignored`, `backup-permissions`, `backup-stale`). Settings:
 * `settings.backups` (`BackupSettings`). git runs only when the scan is trusted.
 *
 * Baselines: every backup a user made is a baseline. A value that differs from all of them and
 * is not explained by a recorded rotation (the ledger's record of rekey rotating to this very
 * value, or a `# rotated:` comment dated after the backup) is `changed-since-backup`, whatever
 * rekey wrote since. Backups rekey made itself (first-line comment, see `rekeyBackup`) are never
 * a baseline: each is one `rotation-backup` item to retire once the change is verified.
 */
export const backupRules: RuleProvider = {
  id: 'backups',
  async run(ctx) {
    const { backups, liveFiles } = await backupsForScan(ctx);
    if (backups.length === 0) return [];
    const out: Finding[] = [];
    const byLive = new Map<string, ScanBackup[]>();
    for (const b of backups) {
      if (classifyEnvFileName(b.ref.livePath) === 'template') continue;
      const list = byLive.get(b.ref.livePath) ?? [];
      list.push(b);
      byLive.set(b.ref.livePath, list);
    }
    const hints = await kindHintsForScan(ctx);
    const now = (ctx.options.now ?? new Date()).getTime();

    const ledger = await openLedger(ctx);
    const made = new Map<ScanBackup, RekeyBackupInfo>();
    for (const b of backups) {
      const info = b.file.text !== undefined ? readRekeyBackupHeader(b.file.text) : undefined;
      if (info) made.set(b, info);
    }
    for (const live of liveFiles) {
      const all = (byLive.get(live.path) ?? []).filter((b) => b.file.parsed && b.file.text !== undefined);
      const list = all.filter((b) => !made.has(b));
      if (list.length === 0 || !live.parsed || live.text === undefined) continue;
      list.sort((a, b) => (b.file.mtimeMs ?? 0) - (a.file.mtimeMs ?? 0));
      out.push(...(await changedSinceBackup(ctx, live, list, hints, ledger)));
      out.push(...(await staleBackups(ctx, live, list, now)));
    }
    for (const [b, info] of made) out.push(rotationBackupItem(ctx, b, info, ledger));
    out.push(...permissionFindings(ctx, backups));
    out.push(...(await gitFindings(ctx, backups)));
    return out;
  },
};

/** The ledger, read-only, to tell rotations rekey recorded from other changes; absent when unusable. */
async function openLedger(ctx: ScanContext): Promise<Ledger | undefined> {
  const settings = readAgeSettings(ctx.options.settings?.age);
  if (settings.noLedger) return undefined;
  try {
    return await Ledger.open(settings.ledgerDir ?? stateDir(), { readOnly: true });
  } catch (err) {
    ctx.logger.warn(`rotation ledger unavailable: ${(err as Error).message}`);
    return undefined;
  }
}

/** The date rekey recorded rotating `key` of `file` to exactly `value`, if it did. */
function recordedRotation(ledger: Ledger | undefined, file: string, key: string, value: string): string | undefined {
  const fp = ledger?.fingerprint(value);
  if (!ledger || fp === undefined) return undefined;
  const last = ledger.history(file, key).at(-1);
  return last && last.rotated && last.fp === fp ? last.since.slice(0, 10) : undefined;
}

/**
 * Where the rotation a rekey-made backup was taken for stands: `verified` once a live check
 * succeeded with every rotated key's new value (ledger), else `applied`; undefined for a restore
 * backup or when the ledger has no record of the rotation.
 */
function rotationStage(ledger: Ledger | undefined, livePath: string, info: RekeyBackupInfo): 'applied' | 'verified' | undefined {
  if (!ledger || info.action !== 'rotating') return undefined;
  const date = new Date(info.date);
  if (Number.isNaN(date.getTime())) return undefined;
  const runs = info.keys.map((k) => ledger.rotationRun(livePath, k, date));
  if (runs.length === 0 || runs.some((r) => r === undefined)) return undefined;
  return runs.every((r) => r?.verified !== undefined) ? 'verified' : 'applied';
}

function rotationBackupItem(ctx: ScanContext, b: ScanBackup, info: RekeyBackupInfo, ledger: Ledger | undefined): Finding {
  const day = info.date.slice(0, 10);
  const what = info.action === 'rotating' ? 'rotation' : 'restore';
  const keys = info.keys.join(', ');
  const stage = rotationStage(ledger, b.ref.livePath, info);
  const stageText = stage === 'verified' ? 'verified (the new value worked in a live check)' : 'not yet verified';
  const fix = `rekey retire ${shellQuote(shownPath(ctx, b.file.path))}`;
  const message =
    what === 'rotation'
      ? `Rotation of ${keys} on ${day}: ${stageText}. This backup holds the previous values of ${path.basename(b.ref.livePath)}; delete it once the new value works everywhere (${fix}).`
      : `Restore of ${keys} on ${day}: this backup holds the values of ${path.basename(b.ref.livePath)} from before the restore; delete it once the restored value works everywhere (${fix}).`;
  return {
    file: b.file.path,
    range: FILE_START,
    rule: 'rotation-backup',
    severity: 'info',
    message,
    related: [{ file: b.ref.livePath, message: 'the live file it backs up' }],
    data: { action: what, keys: info.keys, date: info.date, ...(what === 'rotation' ? { stage: stage ?? 'applied' } : {}), fix },
  };
}

async function changedSinceBackup(ctx: ScanContext, live: ScanFile, newestFirst: ScanBackup[], hints: Map<string, AuthSecretHint>, ledger: Ledger | undefined): Promise<Finding[]> {
  const out: Finding[] = [];
  const text = live.text as string;
  const liveEntries = lastEntries(live);
  const backupEntries = newestFirst.map((b) => ({ b, entries: lastEntries(b.file) }));
  const options = await detectOptionsForScan(ctx, live.path);
  const liveName = path.basename(live.path);

  const report = (key: string, liveEntry: EnvEntry | undefined, b: ScanBackup, old: EnvEntry): void => {
    const backupText = b.file.text as string;
    const detected = (liveEntry && detectEntry(liveEntry, text, options)) || detectEntry(old, backupText, options);
    if (!detected || detected.suppressed) return;
    const kind = KINDS[detected.kind];
    const backupName = shownPath(ctx, b.file.path);
    const hint = hints.get(key);
    const related: RelatedInfo[] = [{ file: b.file.path, range: old.range, message: `the previous value of ${key} (in ${path.basename(b.file.path)})` }];
    const annotated = liveEntry ? readAnnotations(text, liveEntry).rotated : undefined;
    const recorded = liveEntry ? recordedRotation(ledger, live.path, key, liveEntry.value) : undefined;
    const rotated = recorded ?? annotated;
    const deliberate = recorded !== undefined || (annotated !== undefined && Date.parse(`${annotated}T00:00:00Z`) >= (b.file.mtimeMs ?? 0) - ANNOTATION_SLACK);
    let severity = changeSeverity(detected.kind);
    let message: string;
    if (!liveEntry) {
      message = `${key} is in the backup ${backupName} but no longer in ${liveName}. It is ${aKindName(kind.id)}${consumerText(hint)}. ${kind.changeImpact}`;
    } else if (deliberate) {
      severity = 'info';
      message = `${key} differs from the backup ${backupName}, as expected after its rotation on ${rotated} (${recorded !== undefined ? "rekey's record of the rotation" : '"# rotated:" comment'}). It is ${aKindName(kind.id)}${consumerText(hint)}. ${kind.changeImpact}`;
    } else {
      message = `${key} changed since the backup ${backupName} (value differs). It is ${aKindName(kind.id)}${consumerText(hint)}. ${kind.changeImpact}`;
    }
    const f: Finding = {
      file: live.path,
      range: liveEntry ? liveEntry.keyRange : FILE_START,
      key,
      rule: 'changed-since-backup',
      severity,
      message,
      kind: detected.kind,
      confidence: detected.confidence,
      related,
      // Paths stay in `related` (which outputs show relative); `data` is copied into JSON verbatim.
      data: { change: liveEntry ? 'changed' : 'removed', ...(hint ? { consumer: hint.consumer, consumerAt: hint.detail } : {}), ...(deliberate ? { rotated: true } : {}) },
    };
    out.push(f);
  };

  for (const [key, entry] of liveEntries) {
    // The most recent backup that has the key says what the value was before.
    const found = backupEntries.find((x) => x.entries.has(key));
    const old = found?.entries.get(key);
    if (!found || !old || old.value === entry.value) continue;
    // A value some other backup holds is an earlier value put back (`rekey restore` leaves its
    // `.before-restore` copy newest), not a new one.
    if (backupEntries.some((x) => x.entries.get(key)?.value === entry.value)) continue;
    report(key, entry, found.b, old);
  }
  const newest = backupEntries[0];
  if (newest) {
    for (const [key, old] of newest.entries) if (!liveEntries.has(key)) report(key, undefined, newest.b, old);
  }
  return out;
}

async function staleBackups(ctx: ScanContext, live: ScanFile, newestFirst: ScanBackup[], now: number): Promise<Finding[]> {
  const secrets = (await secretsForScanFile(ctx, live)).filter((s) => !s.suppressed);
  const oldestFirst = [...newestFirst].reverse();
  const byBackup = new Map<ScanBackup, Array<{ key: string; interval: number }>>();
  for (const s of secrets) {
    // The oldest backup that still holds the current value proves the longest time without rotation.
    const b = oldestFirst.find((x) => {
      const old = lastEntries(x.file).get(s.entry.key);
      return old !== undefined && old.value === s.entry.value && now - (x.file.mtimeMs ?? now) > s.intervalDays * DAY;
    });
    if (!b) continue;
    const list = byBackup.get(b) ?? [];
    list.push({ key: s.entry.key, interval: s.intervalDays });
    byBackup.set(b, list);
  }
  const out: Finding[] = [];
  for (const [b, keys] of byBackup) {
    const days = Math.floor((now - (b.file.mtimeMs ?? now)) / DAY);
    const names = keys.map((k) => k.key);
    const shortest = Math.min(...keys.map((k) => k.interval));
    out.push({
      file: b.file.path,
      range: FILE_START,
      rule: 'backup-stale',
      severity: 'info',
      message: `This backup is ${days} days old and still holds the current value of ${names.join(', ')} (rotation interval ${shortest} days): ${names.length === 1 ? 'it has' : 'they have'} not been rotated since it was taken. Rotate ${names.length === 1 ? 'it' : 'them'}, then delete old backups.`,
      related: [{ file: live.path, message: `the live file ${path.basename(live.path)}` }],
      data: { keys: names, backupAgeDays: days },
    });
  }
  return out;
}

function permissionFindings(ctx: ScanContext, backups: ScanBackup[]): Finding[] {
  // Windows ACLs are not POSIX modes; Node reports 0o666 for every writable file there.
  if (process.platform === 'win32') return [];
  const out: Finding[] = [];
  for (const b of backups) {
    const mode = b.file.mode;
    if (mode === undefined || (mode & 0o044) === 0) continue;
    const who = mode & 0o004 ? 'every user of this machine' : 'its group';
    const shown = shownPath(ctx, b.file.path);
    out.push({
      file: b.file.path,
      range: FILE_START,
      rule: 'backup-permissions',
      severity: 'warning',
      message: `This backup of ${path.basename(b.ref.livePath)} is readable by ${who} (mode ${(mode & 0o777).toString(8).padStart(3, '0')}) and holds the same secrets. Fix: chmod 600 ${shellQuote(shown)}`,
      related: [{ file: b.ref.livePath, message: 'the live file it backs up' }],
      data: { mode: (mode & 0o777).toString(8).padStart(3, '0'), fix: `chmod 600 ${shellQuote(shown)}` },
    });
  }
  return out;
}

async function gitFindings(ctx: ScanContext, backups: ScanBackup[]): Promise<Finding[]> {
  const candidates = backups.filter((b) => classifyEnvFileName(b.ref.livePath) !== 'template');
  if (candidates.length === 0) return [];
  if (!ctx.options.trusted) {
    // The editor's fast pass defers these checks to its git pass: nothing was skipped for trust.
    if (!ctx.options.gitDeferred) ctx.logger.info('backup git checks skipped: the workspace is not trusted, so git is not run');
    return [];
  }
  let states;
  try {
    states = await gitFileStates(candidates.map((b) => b.ref.path), ctx.signal);
  } catch (err) {
    if (err instanceof GitUnavailableError) {
      ctx.logger.warn(err.message);
      return [];
    }
    throw err;
  }
  const out: Finding[] = [];
  for (const b of candidates) {
    const state = states.get(b.ref.path);
    const shown = shownPath(ctx, b.ref.path);
    const liveName = path.basename(b.ref.livePath);
    const related: RelatedInfo[] = [{ file: b.ref.livePath, message: 'the live file it backs up' }];
    if (state === 'tracked') {
      out.push({
        file: b.ref.path, range: FILE_START, rule: 'backup-tracked', severity: 'error', related,
        message: `This backup of ${liveName} is tracked by git, so its secrets leak with every push and clone exactly as ${liveName} would. Untrack it (git rm --cached ${shellQuote(shown)}), ignore it, and rotate the secrets it holds if it was ever pushed.`,
        data: { fix: `git rm --cached ${shellQuote(shown)}` },
      });
    } else if (state === 'not-ignored') {
      out.push({
        file: b.ref.path, range: FILE_START, rule: 'backup-not-ignored', severity: 'error', related,
        message: `This backup of ${liveName} is not ignored by git: the next \`git add .\` commits its secrets. Add it to .gitignore (a pattern such as \`.env*\` with \`!.env.example\` covers every backup name).`,
      });
    }
  }
  return out;
}
