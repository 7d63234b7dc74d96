import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AtomicWriteError, writeFileAtomic } from '../fs/atomicWrite';
import { LockTimeoutError, withFileLock } from '../fs/fileLock';
import { openFingerprinter, StateError, type Fingerprinter } from '../state/fingerprint';

/*
 * rekey's own record of when it saw each value of each key: keyed fingerprints and dates, never a
 * value, kept in the user's state folder (`stateDir`), never in the
 * repository. The CLI, the hooks and the editor share the one in the user's state folder. One
 * JSON file, `ledger.json`, next to the fingerprint key it depends on: a ledger is meaningless
 * without the key its fingerprints were made with. Saving takes `ledger.json.lock`, re-reads the
 * file, merges and replaces it atomically, so parallel writers never lose each other's records.
 * Keys are user data (`constructor`, `__proto__` are valid names): every map is a null-prototype
 * object, so no lookup falls through to `Object.prototype`.
 *
 * Each (file, key) holds "runs": a run starts when a value is seen that differs from the last one
 * seen (or when rekey rotates it) and lasts while that value keeps being seen. A run that began
 * after another value had been seen dates the change to within the gap between the two
 * observations; the first run of a key only says the value existed from then on.
 */

export const LEDGER_FILE = 'ledger.json';
const LOCK_SUFFIX = '.lock';
const MAX_RUNS_PER_KEY = 20;

/** One continuous stretch during which a key held one value. Dates are ISO strings. */
export interface LedgerRun {
  /** Keyed fingerprint of the value (`Fingerprinter.of`). */
  fp: string;
  /** When rekey first saw this run's value (or the rotation date, for a recorded rotation). */
  since: string;
  /** When rekey last saw it. */
  lastSeen: string;
  /** When rekey last saw the previous, different value: the change happened after this. */
  previousSeen?: string;
  /** Set when rekey itself rotated the value: `since` is then the exact rotation date. */
  rotated?: boolean;
  /** For a rotated value: when a live check (`rekey verify`, Verify Secrets) first succeeded with it. */
  verified?: string;
  /** For a rotated value: when the backup rekey made before the rotation was deleted. */
  retired?: string;
}

/**
 * Where a rotation rekey made stands: `applied` (new value written, the old one kept in a
 * rekey-made backup), `verified` (a live check succeeded with the new value), `retired` (that
 * backup was deleted). `planned` is a rotation shown but not written; the ledger never holds it.
 */
export type RotationStage = 'planned' | 'applied' | 'verified' | 'retired';

/** The stage of a rotated run, or `undefined` for a value rekey did not write. */
export function rotationStageOf(run: LedgerRun): RotationStage | undefined {
  if (!run.rotated) return undefined;
  return run.retired !== undefined ? 'retired' : run.verified !== undefined ? 'verified' : 'applied';
}

interface LedgerData {
  version: 1;
  files: Record<string, Record<string, LedgerRun[]>>;
}

export interface OpenLedgerOptions {
  /**
   * Read what exists without ever writing: no folder, key or ledger is created and `save` does
   * nothing. Scans use this unless told where the ledger lives; `rekey ages` and the extension
   * record.
   */
  readOnly?: boolean;
}

/**
 * The rotation ledger of one state folder. Observations accumulate in memory; `save` merges them
 * into the file (another rekey process may have written meanwhile) and writes it atomically with
 * mode 0600.
 */
export class Ledger {
  private dirty = false;

  private constructor(
    /** The folder holding `ledger.json` and `fingerprint.key`. */
    readonly dir: string,
    private readonly fingerprinter: Fingerprinter | undefined,
    private data: LedgerData,
    /** False when opened read-only (or in memory): observations are not saved. */
    readonly writable: boolean,
  ) {}

  /**
   * Opens the ledger in `dir` (every caller passes `stateDir()`; tests a temporary folder).
   * @throws StateError when the folder, key or ledger exist but cannot be used.
   */
  static async open(dir: string, options: OpenLedgerOptions = {}): Promise<Ledger> {
    const fingerprinter = await openFingerprinter(dir, { create: options.readOnly !== true });
    const data = fingerprinter ? await readLedger(path.join(dir, LEDGER_FILE)) : emptyLedger();
    return new Ledger(dir, fingerprinter, data, fingerprinter !== undefined && options.readOnly !== true);
  }

  /** An in-memory ledger for tests and callers that manage persistence themselves. */
  static inMemory(fingerprinter: Fingerprinter): Ledger {
    return new Ledger('', fingerprinter, emptyLedger(), false);
  }

  /** Keyed fingerprint of a value, or `undefined` when this ledger has no key (nothing recorded). */
  fingerprint(value: string): string | undefined {
    return this.fingerprinter?.of(value);
  }

  /** The runs recorded for `key` in `file`, oldest first. */
  history(file: string, key: string): readonly LedgerRun[] {
    return own(own(this.data.files, fileId(file)), key) ?? [];
  }

  /**
   * Notes that `file` holds the value with fingerprint `fp` for `key` at `date`: extends the
   * current run, or starts a new one when the value differs from the last one seen.
   */
  observe(file: string, key: string, fp: string, date: Date): void {
    const runs = this.runs(file, key);
    const iso = date.toISOString();
    const last = runs[runs.length - 1];
    if (last && last.fp === fp) {
      if (iso > last.lastSeen) {
        last.lastSeen = iso;
        this.dirty = true;
      }
      return;
    }
    const run: LedgerRun = { fp, since: iso, lastSeen: iso };
    if (last) run.previousSeen = last.lastSeen;
    runs.push(run);
    trim(runs);
    this.dirty = true;
  }

  /**
   * Records that rekey rotated `key` in `file` to the value with fingerprint `fp` on `date`, and
   * saves at once: a rotation must not be lost to a later crash.
   */
  async recordRotation(file: string, key: string, fp: string, date: Date): Promise<void> {
    if (this.dir !== '' && !this.writable) throw new StateError('the rotation ledger was opened read-only; open it without readOnly to record a rotation');
    const runs = this.runs(file, key);
    const iso = date.toISOString();
    const last = runs[runs.length - 1];
    const run: LedgerRun = { fp, since: iso, lastSeen: iso, rotated: true };
    if (last && last.fp !== fp) run.previousSeen = last.lastSeen;
    if (last && last.fp === fp) runs.pop();
    runs.push(run);
    trim(runs);
    this.dirty = true;
    await this.save();
  }

  /**
   * Records that a live check succeeded with the value of fingerprint `fp` for `key` in `file`,
   * and saves. Only a value rekey rotated (the current run, `rotated`) gains the stage; the
   * first success is kept. Returns whether a rotation was marked verified.
   */
  async recordVerified(file: string, key: string, fp: string, date: Date): Promise<boolean> {
    const last = this.history(file, key).at(-1);
    if (!last || !last.rotated || last.fp !== fp || last.verified !== undefined) return false;
    last.verified = date.toISOString();
    this.dirty = true;
    await this.save();
    return true;
  }

  /**
   * Records that the backup rekey made before rotating `key` in `file` on `rotatedOn` was
   * deleted, and saves. Marks that rotation's run (`rotationRun`). Returns whether one was marked.
   */
  async recordRetired(file: string, key: string, rotatedOn: Date, date: Date): Promise<boolean> {
    const found = this.rotationRun(file, key, rotatedOn);
    const run = found && this.runs(file, key).find((r) => r === found);
    if (!run || run.retired !== undefined) return false;
    run.retired = date.toISOString();
    this.dirty = true;
    await this.save();
    return true;
  }

  /**
   * The run of the rotation of `key` in `file` that a rekey-made backup dated `rotatedOn` was
   * taken for: the latest rotated run that began at or after that date, less a day (the backup
   * header and the ledger take their clocks moments apart).
   */
  rotationRun(file: string, key: string, rotatedOn: Date): Readonly<LedgerRun> | undefined {
    const from = new Date(rotatedOn.getTime() - 86_400_000).toISOString();
    return [...this.history(file, key)].reverse().find((r) => r.rotated === true && r.since >= from);
  }

  /** Writes pending observations (merged with what is on disk). No-op when nothing changed. */
  async save(): Promise<void> {
    if (!this.dirty || !this.writable) return;
    const file = path.join(this.dir, LEDGER_FILE);
    try {
      await withFileLock(file + LOCK_SUFFIX, async () => {
        const onDisk = await readLedger(file);
        this.data = mergeLedgers(onDisk, this.data);
        await writeFileAtomic(file, JSON.stringify(this.data) + '\n', { mode: 0o600 });
      });
    } catch (err) {
      if (err instanceof StateError) throw err;
      const why = err instanceof AtomicWriteError ? err.code ?? err.message : err instanceof LockTimeoutError ? err.message : String(err);
      throw new StateError(`cannot save the rotation ledger ${file}: ${why}`);
    }
    this.dirty = false;
  }

  private runs(file: string, key: string): LedgerRun[] {
    return runsOf(this.data, fileId(file), key);
  }
}

/** Paths are compared as absolute; case-insensitively on Windows, like the file system. */
function fileId(file: string): string {
  const abs = path.resolve(file);
  return process.platform === 'win32' ? abs.toLowerCase() : abs;
}

function emptyLedger(): LedgerData {
  return { version: 1, files: Object.create(null) as LedgerData['files'] };
}

/** An own property, never one inherited from `Object.prototype`. */
function own<T>(obj: Record<string, T> | undefined, key: string): T | undefined {
  return obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** The (created if needed) runs of `key` in file `id`. */
function runsOf(data: LedgerData, id: string, key: string): LedgerRun[] {
  let byKey = own(data.files, id);
  if (!byKey) {
    byKey = Object.create(null) as Record<string, LedgerRun[]>;
    data.files[id] = byKey;
  }
  let runs = own(byKey, key);
  if (!runs) {
    runs = [];
    byKey[key] = runs;
  }
  return runs;
}

/**
 * Joins neighbouring runs of one value into one. Two writers produce them: the editor notes the
 * value a rotation just saved while the rotation records it, each in its own copy of the ledger.
 * The joined run keeps the earlier start, the later sighting, and every stage either reached.
 */
function coalesce(runs: LedgerRun[]): void {
  for (let i = runs.length - 1; i > 0; i--) {
    const a = runs[i - 1] as LedgerRun;
    const b = runs[i] as LedgerRun;
    if (a.fp !== b.fp) continue;
    if (b.lastSeen > a.lastSeen) a.lastSeen = b.lastSeen;
    if (b.rotated) a.rotated = true;
    if (b.verified !== undefined && (a.verified === undefined || b.verified < a.verified)) a.verified = b.verified;
    if (b.retired !== undefined && (a.retired === undefined || b.retired < a.retired)) a.retired = b.retired;
    runs.splice(i, 1);
  }
}

function trim(runs: LedgerRun[]): void {
  if (runs.length > MAX_RUNS_PER_KEY) runs.splice(0, runs.length - MAX_RUNS_PER_KEY);
}

async function readLedger(file: string): Promise<LedgerData> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return emptyLedger();
    throw new StateError(`cannot read the rotation ledger ${file} (${code ?? 'error'})`);
  }
  try {
    return validate(JSON.parse(text));
  } catch {
    throw new StateError(`${file} is not a valid rotation ledger; move it away to start a new one`);
  }
}

/** Keeps only well-formed runs, so a hand-edited file cannot make later code misbehave. */
function validate(raw: unknown): LedgerData {
  const out = emptyLedger();
  if (typeof raw !== 'object' || raw === null || (raw as { version?: unknown }).version !== 1) throw new Error('bad ledger');
  const files = (raw as { files?: unknown }).files;
  if (typeof files !== 'object' || files === null) return out;
  for (const [file, byKey] of Object.entries(files as Record<string, unknown>)) {
    if (typeof byKey !== 'object' || byKey === null) continue;
    for (const [key, runs] of Object.entries(byKey as Record<string, unknown>)) {
      if (!Array.isArray(runs)) continue;
      const ok = runs.filter(isRun);
      if (ok.length) runsOf(out, file, key).push(...ok.slice(-MAX_RUNS_PER_KEY));
    }
  }
  return out;
}

function isRun(r: unknown): r is LedgerRun {
  if (typeof r !== 'object' || r === null) return false;
  const x = r as Record<string, unknown>;
  return (
    typeof x.fp === 'string' && /^[0-9a-f]{8,64}$/.test(x.fp) && isIso(x.since) && isIso(x.lastSeen) &&
    (x.previousSeen === undefined || isIso(x.previousSeen)) && (x.rotated === undefined || typeof x.rotated === 'boolean') &&
    (x.verified === undefined || isIso(x.verified)) && (x.retired === undefined || isIso(x.retired))
  );
}

function isIso(v: unknown): v is string {
  return typeof v === 'string' && !Number.isNaN(Date.parse(v));
}

/**
 * Union of two ledgers: runs of the same (file, key, fp, since) are one run seen until the later
 * `lastSeen`; otherwise runs are kept in `since` order.
 */
function mergeLedgers(a: LedgerData, b: LedgerData): LedgerData {
  const out = emptyLedger();
  for (const src of [a, b]) {
    for (const [file, byKey] of Object.entries(src.files)) {
      for (const [key, runs] of Object.entries(byKey)) {
        const target = runsOf(out, file, key);
        for (const run of runs) {
          const same = target.find((t) => t.fp === run.fp && t.since === run.since);
          if (same) {
            if (run.lastSeen > same.lastSeen) same.lastSeen = run.lastSeen;
            if (run.rotated) same.rotated = true;
            // A stage, once reached, stays: the earliest date another writer recorded wins.
            if (run.verified !== undefined && (same.verified === undefined || run.verified < same.verified)) same.verified = run.verified;
            if (run.retired !== undefined && (same.retired === undefined || run.retired < same.retired)) same.retired = run.retired;
          } else {
            target.push({ ...run });
          }
        }
        target.sort((x, y) => (x.since < y.since ? -1 : x.since > y.since ? 1 : 0));
        coalesce(target);
        trim(target);
      }
    }
  }
  return out;
}
