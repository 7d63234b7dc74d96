import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AgeSettings } from '../age/ageSettings';
import type { SecretAgeReport } from '../age/collectAges';
import { Ledger, LEDGER_FILE } from '../age/ledger';
import type { GitAgesFn, GitValueAge } from '../age/secretAge';
import { backupRules } from '../backup/backupRules';
import { backupsForScan } from '../backup/scanBackups';
import type { AuthSecretHint } from '../consumers/authSecretHints';
import { primeSecretsForScanFile, secretsForScanFile } from '../detect/scanSecrets';
import { secretRules } from '../detect/secretRules';
import type { DetectedSecret } from '../detect/types';
import type { ParsedEnv } from '../env/types';
import { compareFindings, type Finding } from '../findings/finding';
import type { ScanContext, ScanFile, ScanSettings } from '../findings/scanContext';
import type { Logger } from '../log';
import { FINGERPRINT_KEY_FILE } from '../state/fingerprint';
import { stateDir } from '../state/stateDir';
import { previousSecretRules } from '../rotation/zeroLogout/retireRules';
import { ageRules } from './ageRules';
import { parseRules } from './parseRules';
import { runProviders } from './scan';
import { reuseSecretAges, secretAgesForScan } from './secretAges';

/*
 * The editor's fast pass: every rule that starts no program, over the files of one folder.
 *
 * Rules that look at one file at a time (parse problems, secrets, previous secrets) run only for
 * files whose text or settings changed since the last pass; their findings and detected secrets
 * come from `FastPassCache` otherwise. The rules that relate files to each other (backups, ages)
 * run over every file, on the cached secrets, so an edit costs one parse, one detection of the
 * edited file and the cross-file work. Ages are computed once per pass (`secretAgesForScan` is
 * memoised per scan context and shared by the age rules and the reports).
 */

/** What one fast pass found for one file (the model adds the editor-side fields). */
export interface FastFileResult {
  findings: Finding[];
  secrets: DetectedSecret[];
  ages: Map<string, SecretAgeReport>;
  backups: string[];
  backupOf?: string;
}

export interface FastPassInput {
  /** The folder analysed (the scan root). */
  root: string;
  /** Every file of the folder, read and parsed (unchanged files keep their `parsed` object). */
  files: ScanFile[];
  /** The rule families' settings, as for a scan of the folder. */
  settings: ScanSettings;
  /** Size cap per file in bytes (for backups outside the folder). */
  maxBytes: number;
  kindHints: ReadonlyMap<string, AuthSecretHint>;
  /** Git value ages of the last git pass by absolute path; given only in trusted workspaces. */
  gitAges?: ReadonlyMap<string, Map<string, GitValueAge>>;
  /** Note the values seen in the rotation ledger (only for text that is saved on disk). */
  record: boolean;
  logger: Logger;
  now?: Date;
  /** Per-file results of earlier passes of this folder; without it every file is analysed. */
  cache?: FastPassCache;
}

/**
 * How long a file's ages are reused while nothing they depend on changed: an age grows by a day
 * at any time of day, so a reused age may lag the clock by at most this much.
 */
export const AGE_REUSE_MS = 60_000;

/** The rules that judge one file on its own: their results depend on that file's text only. */
const PER_FILE_RULES = [parseRules, secretRules, previousSecretRules];
/** The rules that relate the folder's files to each other. */
const CROSS_FILE_RULES = [backupRules, ageRules];

interface CachedFile {
  parsed: ParsedEnv | undefined;
  error: string | undefined;
  role: string;
  /** Everything besides the text the per-file rules depend on (see `epochOf`). */
  epoch: string;
  findings: Finding[];
  secrets: DetectedSecret[];
}

interface CachedAges {
  parsed: ParsedEnv | undefined;
  mtimeMs: number | undefined;
  secrets: DetectedSecret[] | undefined;
  backups: BackupSnapshotKey[];
  /** What else the ages read: the git ages of the last git pass, the ledger's state, the epoch. */
  sources: { gitAges: object | undefined; ledger: string; epoch: string };
  at: number;
  reports: SecretAgeReport[];
}

interface BackupSnapshotKey {
  path: string;
  mtimeMs: number | undefined;
  parsed: ParsedEnv | undefined;
}

/**
 * Per-file results of the fast pass, reused while a file's parsed text (compared by identity:
 * the model re-parses only changed text), role, read error and the settings, kind hints and day
 * stay the same. Holds findings and detected secrets: never log them.
 */
export class FastPassCache {
  private readonly byPath = new Map<string, CachedFile>();
  private readonly ages = new Map<string, CachedAges>();
  private ledger: { dir: string; stamp: string; ledger: Promise<Ledger | undefined> } | undefined;
  /** How many files the last pass analysed afresh (the others came from the cache). */
  lastAnalysed = 0;

  /** The cached results for `file`, when still valid under `epoch`. */
  lookup(file: ScanFile, epoch: string): CachedFile | undefined {
    const c = this.byPath.get(file.path);
    if (!c || c.epoch !== epoch || c.parsed !== file.parsed || c.role !== file.role || c.error !== file.error?.message) return undefined;
    return c;
  }

  /** Remembers the per-file results of `file`. */
  store(file: ScanFile, epoch: string, findings: Finding[], secrets: DetectedSecret[]): void {
    this.byPath.set(file.path, { parsed: file.parsed, error: file.error?.message, role: file.role, epoch, findings, secrets });
  }

  /** The cached ages of `file`, when nothing they depend on changed and they are recent. */
  lookupAges(file: ScanFile, secrets: DetectedSecret[] | undefined, backups: BackupSnapshotKey[], sources: CachedAges['sources'], now: number): SecretAgeReport[] | undefined {
    const c = this.ages.get(file.path);
    if (!c || c.parsed !== file.parsed || c.mtimeMs !== file.mtimeMs || c.secrets !== secrets || now - c.at > AGE_REUSE_MS || now < c.at) return undefined;
    if (c.sources.gitAges !== sources.gitAges || c.sources.ledger !== sources.ledger || c.sources.epoch !== sources.epoch) return undefined;
    if (c.backups.length !== backups.length || c.backups.some((b, i) => b.path !== backups[i]?.path || b.mtimeMs !== backups[i]?.mtimeMs || b.parsed !== backups[i]?.parsed)) return undefined;
    return c.reports;
  }

  /** Remembers the ages computed for `file`. */
  storeAges(file: ScanFile, secrets: DetectedSecret[] | undefined, backups: BackupSnapshotKey[], sources: CachedAges['sources'], now: number, reports: SecretAgeReport[]): void {
    this.ages.set(file.path, { parsed: file.parsed, mtimeMs: file.mtimeMs, secrets, backups, sources, at: now, reports });
  }

  /** The ledger of `dir` opened read-only, again only when its stamp on disk moved. */
  readOnlyLedger(dir: string, stamp: string): Promise<Ledger | undefined> {
    if (this.ledger?.dir !== dir || this.ledger.stamp !== stamp) {
      // A ledger that cannot be opened is the pipeline's to report: it opens it itself.
      this.ledger = { dir, stamp, ledger: Ledger.open(dir, { readOnly: true }).catch(() => undefined) };
    }
    return this.ledger.ledger;
  }

  /** Forgets files that are no longer part of the folder. */
  retain(paths: ReadonlySet<string>): void {
    for (const p of [...this.byPath.keys()]) if (!paths.has(p)) this.byPath.delete(p);
    for (const p of [...this.ages.keys()]) if (!paths.has(p)) this.ages.delete(p);
  }

  clear(): void {
    this.byPath.clear();
    this.ages.clear();
  }
}

const hintIds = new WeakMap<object, number>();
let nextHintId = 0;

/** What the per-file rules read besides the file: detection settings, kind hints, today's date. */
function epochOf(input: FastPassInput, now: Date): string {
  let hints = hintIds.get(input.kindHints);
  if (hints === undefined) {
    hints = ++nextHintId;
    hintIds.set(input.kindHints, hints);
  }
  const day = now.toISOString().slice(0, 10);
  return `${input.root}\0${hints}\0${day}\0${JSON.stringify(input.settings.secrets ?? null)}\0${JSON.stringify(input.settings.detect ?? null)}`;
}

/** The ledger's state on disk, cheaply: a different stamp means it may hold other runs. */
async function ledgerStamp(dir: string): Promise<string> {
  const stat = (name: string) => fs.stat(path.join(dir, name)).then((s) => `${s.mtimeMs}:${s.size}:${s.ino}`, () => '-');
  return (await Promise.all([stat(LEDGER_FILE), stat(FINGERPRINT_KEY_FILE)])).join('|');
}

/** Hands the ages pipeline of `ctx` the cached ages of files whose inputs did not change. */
async function reuseAges(
  ctx: ScanContext,
  cache: FastPassCache,
  results: ReadonlyMap<string, FastFileResult>,
  gitAges: object | undefined,
  epoch: string,
  ledgerDir: string,
  now: number,
): Promise<void> {
  const { backups } = await backupsForScan(ctx);
  const byLive = new Map<string, BackupSnapshotKey[]>();
  for (const b of backups) {
    const list = byLive.get(b.ref.livePath) ?? [];
    list.push({ path: b.file.path, mtimeMs: b.file.mtimeMs, parsed: b.file.parsed });
    byLive.set(b.ref.livePath, list);
  }
  const stamp = await ledgerStamp(ledgerDir);
  const sources = { gitAges, ledger: stamp, epoch };
  reuseSecretAges(ctx, {
    ledger: () => cache.readOnlyLedger(ledgerDir, stamp),
    reuse: (file) => cache.lookupAges(file, results.get(file.path)?.secrets, byLive.get(file.path) ?? [], sources, now),
    computed: (file, reports) => cache.storeAges(file, results.get(file.path)?.secrets, byLive.get(file.path) ?? [], sources, now, reports),
  });
}

/** Git value ages from the last git pass, served without running git. */
function cachedGitAges(cache: ReadonlyMap<string, Map<string, GitValueAge>>): GitAgesFn {
  return (repoRoot, relPaths) => {
    const out = new Map<string, Map<string, GitValueAge>>();
    for (const rel of relPaths) {
      const ages = cache.get(path.join(repoRoot, ...rel.split('/')));
      if (ages) out.set(rel, ages);
    }
    return Promise.resolve(out);
  };
}

/**
 * The rules that need no program: parse problems, secrets, backup comparison and hygiene
 * (without git), and rotation ages (git ages only from the last git pass's cache), by file.
 * Findings about files outside `files` (a `.rekey.json`) are left out.
 */
export async function runFastPass(input: FastPassInput): Promise<Map<string, FastFileResult>> {
  const { files, logger } = input;
  const now = input.now ?? new Date();
  const gitAges = input.gitAges && input.gitAges.size > 0 ? cachedGitAges(input.gitAges) : undefined;
  const age: AgeSettings = { ...input.settings.age, record: input.record, ...(gitAges ? { gitAges, gitAgesCached: true } : {}) };
  const ctx: ScanContext = {
    files,
    roots: [input.root],
    // Untrusted as far as the shared rules go: backup rules then skip their git checks, which the
    // git pass runs instead. Git ages come from the git pass's cache, never from running git.
    options: { maxBytes: input.maxBytes, trusted: false, gitDeferred: true, settings: { ...input.settings, age }, now, logger, kindHints: input.kindHints },
    logger,
  };

  const epoch = epochOf(input, now);
  const out = new Map<string, FastFileResult>();
  const stale: ScanFile[] = [];
  for (const f of files) {
    const cached = input.cache?.lookup(f, epoch);
    if (cached) {
      primeSecretsForScanFile(ctx, f, cached.secrets);
      out.set(f.path, { findings: [...cached.findings], secrets: cached.secrets, ages: new Map(), backups: [] });
    } else {
      stale.push(f);
    }
  }
  if (stale.length > 0) {
    const sub: ScanContext = { ...ctx, files: stale };
    const { findings } = await runProviders(sub, PER_FILE_RULES);
    const byFile = new Map<string, Finding[]>(stale.map((f) => [f.path, []]));
    for (const finding of findings) byFile.get(finding.file)?.push(finding);
    for (const f of stale) {
      const secrets = await secretsForScanFile(sub, f);
      primeSecretsForScanFile(ctx, f, secrets);
      const own = byFile.get(f.path) ?? [];
      input.cache?.store(f, epoch, own, secrets);
      out.set(f.path, { findings: [...own], secrets, ages: new Map(), backups: [] });
    }
  }
  if (input.cache) {
    input.cache.retain(new Set(files.map((f) => f.path)));
    input.cache.lastAnalysed = stale.length;
  }

  if (input.cache && !input.record) await reuseAges(ctx, input.cache, out, input.gitAges, `${epoch}\0${age.dueSoonDays ?? ''}`, age.ledgerDir ?? stateDir(), now.getTime());

  const { findings: crossFile } = await runProviders(ctx, CROSS_FILE_RULES);
  for (const finding of crossFile) out.get(finding.file)?.findings.push(finding);
  for (const r of out.values()) r.findings.sort(compareFindings);

  // The computation the age rules used (memoised per scan context): ages once per pass.
  const { reports, backups } = await secretAgesForScan(ctx);
  for (const b of backups) {
    out.get(b.ref.livePath)?.backups.push(b.file.path);
    const self = out.get(b.file.path);
    if (self) self.backupOf = b.ref.livePath;
  }
  for (const r of reports) out.get(r.file)?.ages.set(r.key, r);
  return out;
}
