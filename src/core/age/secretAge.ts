import * as path from 'node:path';
import type { EnvEntry, ParsedEnv } from '../env/types';
import { rotationStageOf, type LedgerRun, type RotationStage } from './ledger';
import { readAnnotations } from '../detect/annotations';

/*
 * How old is a secret's current value? Each source either dates the value ("exact": an
 * annotation, rekey's record of a rotation or of a change it saw, the git commit that introduced
 * it) or bounds it:
 *
 *   - at least N days old: the file has not changed for N days (mtime), rekey has seen this value
 *     for N days (ledger), or a backup taken N days ago already holds it;
 *   - at most N days old: a backup taken N days ago, or rekey's last look N days ago, saw a
 *     different value, so the current one came after.
 *
 * Exact sources are tried in priority order: annotation written for this value > ledger
 * first-seen (or rekey's record of its rotation) > git commit that introduced the value; then
 * the bounds: a backup (only when consistent with the others) > the file's time ("at least").
 * A contradiction resolves toward the older proof, with a note: an exact date later than a
 * proof that the value already existed is skipped (the value is older than claimed), while an
 * exact date earlier than a sighting of a different value is kept (a value put back after a
 * rotation keeps its own age). An age is never younger than the oldest proof the value existed.
 * Without an exact date the report gives the tightest bound, its source, and a status only where
 * the bounds decide it.
 */

export type AgeSource = 'annotation' | 'ledger' | 'git' | 'backup' | 'mtime' | 'unknown';
export type AgeStatus = 'ok' | 'due-soon' | 'overdue' | 'unknown';
/** What `since` means: the date itself, or a bound on the value's age. */
export type AgeBound = 'exact' | 'at-least' | 'at-most';

/** What the git history knows about a key's value at HEAD (provided by src/core/git). */
export interface GitValueAge {
  /** The commit that introduced the value. */
  commit: string;
  date: Date | string;
  /** `Fingerprinter.of` of the committed value, made with the same key as the ledger's. */
  valueFingerprint?: string;
  /** Alternatively, a check of the committed value against the working copy's. */
  sameValue?: (value: string) => boolean;
}

/** Value ages from git for several files of one repository: relPath (posix) → key → age. */
export type GitAgesFn = (repoRoot: string, relPaths: string[]) => Promise<Map<string, Map<string, GitValueAge>>>;

/** A backup as the age computation needs it. */
export interface BackupSnapshot {
  path: string;
  /** When the backup was taken (its modification time). */
  mtimeMs: number;
  parsed: ParsedEnv;
}

export interface AgeInput {
  entry: EnvEntry;
  /** The live file's text (for the annotation above the entry). */
  text: string;
  intervalDays: number;
  now: Date;
  /** Days before the due date at which the status becomes `due-soon` (default 14). */
  dueSoonDays?: number;
  fileMtimeMs?: number;
  /** Ledger runs of this (file, key), oldest first, and the current value's fingerprint. */
  ledgerRuns?: readonly LedgerRun[];
  fingerprint?: string;
  git?: GitValueAge;
  backups?: readonly BackupSnapshot[];
}

export interface SecretAge {
  /** When the current value came into use (exact), or the bound's date; undefined when unknown. */
  since?: Date;
  /** Whole days from `since` to now. */
  ageDays?: number;
  source: AgeSource;
  bound?: AgeBound;
  /** The bounds the evidence proves, in days (undefined = unbounded). */
  minAgeDays?: number;
  maxAgeDays?: number;
  intervalDays: number;
  status: AgeStatus;
  /** Days left before the interval is reached (negative when overdue), when the age is exact. */
  dueInDays?: number;
  /** Value-free account of the source, e.g. `git commit 1a2b3c4`. */
  detail: string;
  /** Sources skipped because they contradict others. */
  notes: string[];
  /** When the current value is one rekey rotated to: where that rotation stands (ledger). */
  rotation?: RotationInfo;
}

/** The lifecycle of the rotation that wrote the current value. Dates are ISO strings. */
export interface RotationInfo {
  stage: RotationStage;
  rotatedOn: string;
  verifiedOn?: string;
  retiredOn?: string;
}

/** The rotation info of the ledger's current run when it holds `fp` and rekey rotated it. */
export function rotationInfo(runs: readonly LedgerRun[], fp: string | undefined): RotationInfo | undefined {
  const last = runs[runs.length - 1];
  const stage = last && fp !== undefined && last.fp === fp ? rotationStageOf(last) : undefined;
  if (!last || !stage) return undefined;
  return { stage, rotatedOn: last.since, ...(last.verified !== undefined ? { verifiedOn: last.verified } : {}), ...(last.retired !== undefined ? { retiredOn: last.retired } : {}) };
}

const DAY = 86_400_000;
/** No ledger runs (shared, never modified). */
const NO_RUNS: readonly LedgerRun[] = Object.freeze([]);
/** Date-only annotations and clock skew: contradictions smaller than this are ignored. */
const SLACK = DAY;
/** A change the ledger saw between two looks at most this far apart counts as dated. */
const LEDGER_PRECISION = 7 * DAY;

interface Bound {
  at: number;
  source: AgeSource;
  detail: string;
}

interface Exact {
  at: number;
  source: AgeSource;
  detail: string;
  /** Contradicted by the file's mtime is no reason to doubt it (git commits after the edit). */
  checkLower: boolean;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/*
 * The file's time is the same for every secret of a file: its bound's text is made once per
 * file, not once per secret (a 1 MiB file holds some 19k secrets).
 */
let lastMtime: { at: number; detail: string } | undefined;

function mtimeDetail(ms: number): string {
  if (lastMtime?.at !== ms) lastMtime = { at: ms, detail: `the file was last modified on ${isoDay(ms)}` };
  return lastMtime.detail;
}

/** The tightest bounds: the earliest moment the value is known to exist, the latest a different one did. */
function earliest(xs: readonly Bound[]): Bound | undefined {
  let a: Bound | undefined;
  for (const b of xs) if (!a || b.at < a.at) a = b;
  return a;
}

function latest(xs: readonly Bound[]): Bound | undefined {
  let a: Bound | undefined;
  for (const b of xs) if (!a || b.at > a.at) a = b;
  return a;
}

function wholeDays(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.floor(ms / DAY);
}

function lastEntryValue(parsed: ParsedEnv, key: string): string | undefined {
  let v: string | undefined;
  for (const e of parsed.entries) if (e.key === key) v = e.value;
  return v;
}

/**
 * The age of one secret's current value from every source given, with its status against
 * `intervalDays`. Pure: the caller gathers the sources.
 */
export function secretAge(input: AgeInput): SecretAge {
  const runs = runsWithoutUndoneRotation(input);
  const age = datedAge(runs === (input.ledgerRuns ?? NO_RUNS) ? input : { ...input, ledgerRuns: runs });
  const rotation = rotationInfo(runs, input.fingerprint);
  return rotation ? { ...age, rotation } : age;
}

/** A backup's time and the ledger's record of the rotation after it: file systems with coarse times. */
const BACKUP_BEFORE_ROTATION_SLACK_MS = 2_000;

/**
 * The ledger runs that date the current value, leaving out a rotation rekey recorded that was
 * undone: the value is not the one rotated to, and a backup taken no later than the rotation
 * already holds it. Undo (or copying the backup back) puts the old value back, which keeps the
 * age it had; seeing the rotated value in between says nothing about when it came. A sighting of
 * the value put back after the rotation (the undo saved) goes with it.
 */
function runsWithoutUndoneRotation(input: AgeInput): readonly LedgerRun[] {
  const runs = input.ledgerRuns ?? NO_RUNS;
  const fp = input.fingerprint;
  if (fp === undefined) return runs;
  let i = runs.length - 1;
  if (runs[i]?.fp === fp && !runs[i]?.rotated) i--;
  const rotated = runs[i];
  if (!rotated?.rotated || rotated.fp === fp) return runs;
  const rotatedAt = Date.parse(rotated.since);
  const heldBefore = (input.backups ?? []).some(
    (b) => b.mtimeMs <= rotatedAt + BACKUP_BEFORE_ROTATION_SLACK_MS && lastEntryValue(b.parsed, input.entry.key) === input.entry.value,
  );
  return heldBefore ? runs.slice(0, i) : runs;
}

function datedAge(input: AgeInput): SecretAge {
  const now = input.now.getTime();
  const dueSoon = (input.dueSoonDays ?? 14) * DAY;
  const interval = input.intervalDays * DAY;
  const value = input.entry.value;
  const notes: string[] = [];
  /** The value existed at `at`: true since ≤ at. */
  const lower: Bound[] = [];
  /** A different value (or no value) existed at `at`: true since ≥ at. */
  const upper: Bound[] = [];
  /** Upper bounds that also judge exact dates: a different value seen, not merely a missing key (partial backups). */
  const strongUpper: Bound[] = [];
  /** Lower bounds that also judge annotations (not the mtime, which the annotation itself moves). */
  const strongLower: Bound[] = [];
  const exact: Exact[] = [];

  // The annotation format is detection's (one reader for every feature): `# rotated: YYYY-MM-DD`.
  const rotated = readAnnotations(input.text, input.entry).rotated;
  if (rotated) exact.push({ at: Date.parse(`${rotated}T00:00:00Z`), source: 'annotation', detail: `"# rotated: ${rotated}" comment`, checkLower: true });

  const runs = input.ledgerRuns ?? NO_RUNS;
  const last = runs[runs.length - 1];
  if (last && input.fingerprint !== undefined) {
    const since = Date.parse(last.since);
    if (last.fp === input.fingerprint) {
      const prev = last.previousSeen !== undefined ? Date.parse(last.previousSeen) : undefined;
      if (last.rotated) {
        exact.push({ at: since, source: 'ledger', detail: `rotated by rekey on ${isoDay(since)}`, checkLower: true });
      } else if (prev !== undefined && since - prev <= LEDGER_PRECISION) {
        exact.push({ at: since, source: 'ledger', detail: `rekey saw this value first on ${isoDay(since)}, the previous one last on ${isoDay(prev)}`, checkLower: true });
      }
      if (prev !== undefined) {
        const b = { at: prev, source: 'ledger' as const, detail: `rekey saw a different value on ${isoDay(prev)}` };
        upper.push(b);
        strongUpper.push(b);
      }
      const b = { at: since, source: 'ledger' as const, detail: `rekey has seen this value since ${isoDay(since)}` };
      lower.push(b);
      strongLower.push(b);
    } else {
      // The value changed after rekey last looked (even if it is an older value coming back).
      const seen = Date.parse(last.lastSeen);
      const b = { at: seen, source: 'ledger' as const, detail: `rekey saw a different value on ${isoDay(seen)}` };
      upper.push(b);
      strongUpper.push(b);
    }
  }

  if (input.git) {
    const at = input.git.date instanceof Date ? input.git.date.getTime() : Date.parse(input.git.date);
    const same =
      input.git.valueFingerprint !== undefined && input.fingerprint !== undefined
        ? input.git.valueFingerprint === input.fingerprint
        : input.git.sameValue
          ? input.git.sameValue(value)
          : true;
    if (Number.isNaN(at)) notes.push('git gave no usable date');
    else if (!same) notes.push(`git history skipped: the working copy's value differs from the committed one (commit ${input.git.commit.slice(0, 7)})`);
    else exact.push({ at, source: 'git', detail: `git commit ${input.git.commit.slice(0, 7)}`, checkLower: false });
  }

  for (const b of input.backups ?? []) {
    const name = path.basename(b.path);
    const old = lastEntryValue(b.parsed, input.entry.key);
    if (old === value) {
      const bound = { at: b.mtimeMs, source: 'backup' as const, detail: `the backup ${name} of ${isoDay(b.mtimeMs)} already holds this value` };
      lower.push(bound);
      strongLower.push(bound);
    } else {
      const bound = { at: b.mtimeMs, source: 'backup' as const, detail: `changed after the backup ${name} of ${isoDay(b.mtimeMs)} (${old === undefined ? 'it lacks the key' : 'it holds a different value'})` };
      upper.push(bound);
      if (old !== undefined) strongUpper.push(bound);
    }
  }
  if (input.fileMtimeMs !== undefined && input.fileMtimeMs > 0) {
    lower.push({ at: input.fileMtimeMs, source: 'mtime', detail: mtimeDetail(input.fileMtimeMs) });
  }

  let lo = latest(upper);
  const hi = earliest(lower);
  const strongHi = earliest(strongLower);
  let strongLo = latest(strongUpper);
  if (lo && hi && lo.at > hi.at + SLACK) {
    // Contradictory evidence (a backup touched after the fact, clocks): trust what the value has been seen with.
    notes.push(`ignored: ${lo.detail}, yet ${hi.detail}`);
    lo = undefined;
    strongLo = undefined;
  }

  for (const e of exact) {
    if (e.at > now + SLACK) {
      notes.push(`${e.source} skipped: ${e.detail} is in the future`);
      continue;
    }
    if (strongLo && e.at < strongLo.at - SLACK) {
      // Both can be true (an old value put back after a rotation, a comment not updated by hand):
      // the age is never younger than the oldest proof that the value existed.
      notes.push(`${strongLo.detail}, yet ${e.detail} dates this value earlier: the older proof is used (a value put back keeps its age)`);
    }
    if (e.checkLower && strongHi && e.at > strongHi.at + SLACK) {
      notes.push(`${e.source} skipped: ${e.detail}, but ${strongHi.detail}`);
      continue;
    }
    const ageDays = Math.max(0, Math.floor((now - e.at) / DAY));
    const age = now - e.at;
    const status: AgeStatus = age >= interval ? 'overdue' : age >= interval - dueSoon ? 'due-soon' : 'ok';
    return {
      since: new Date(e.at), ageDays, source: e.source, bound: 'exact', minAgeDays: ageDays, maxAgeDays: ageDays,
      intervalDays: input.intervalDays, status, dueInDays: input.intervalDays - ageDays, detail: e.detail, notes,
    };
  }

  const minAge = hi ? Math.max(0, now - hi.at) : undefined;
  const maxAge = lo ? Math.max(0, now - lo.at) : undefined;
  let status: AgeStatus = 'unknown';
  if (minAge !== undefined && minAge >= interval) status = 'overdue';
  else if (maxAge !== undefined && maxAge < interval - dueSoon) status = 'ok';
  else if (maxAge !== undefined && maxAge < interval) status = 'due-soon';
  // One object, its fields in the order callers have always seen: intervalDays, status, notes,
  // the bounds present, then since, ageDays, source, bound and detail.
  const out: SecretAge = { intervalDays: input.intervalDays, status, notes } as SecretAge;
  if (minAge !== undefined) out.minAgeDays = wholeDays(minAge);
  if (maxAge !== undefined) out.maxAgeDays = wholeDays(maxAge);
  // Report the bound that says the most: an upper bound (the value is recent) decides "ok";
  // otherwise the lower bound ("at least N days").
  const atMost = lo !== undefined && (status !== 'overdue' || !hi);
  const shownBound = atMost ? lo : hi;
  if (!shownBound) {
    out.source = 'unknown';
    out.detail = 'no date for this value: no annotation, ledger record, git history, backup or file date';
    return out;
  }
  out.since = new Date(shownBound.at);
  out.ageDays = wholeDays(Math.max(0, now - shownBound.at));
  out.source = shownBound.source;
  out.bound = atMost ? 'at-most' : 'at-least';
  out.detail = shownBound.detail;
  return out;
}
