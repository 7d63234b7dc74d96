import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { detectSecrets } from '../detect/detect';
import type { DetectConfig, DetectedSecret } from '../detect/types';
import { silentLogger, type Logger } from '../log';
import { loadScanFile } from '../findings/scanFile';
import type { ScanFile } from '../findings/scanContext';
import { findEnvFiles } from '../workspace/findEnvFiles';
import { readHistoryAndAllFiles } from './allFilesHistory';
import type { AllFilesHit } from './allFilesScan';
import { discoverEnvHistory, type EnvBlob, type HistoryProgress } from './envHistory';
import { findExposures, type CurrentSecret, type Exposure } from './exposures';
import { GitRunner } from './gitRunner';
import { pushedOracle } from './pushed';
import { readCommitTimes, readRepoState, type RepoState } from './repoState';
import { trackingHygiene, type TrackingReport } from './tracking';

export interface HistoryReportOptions {
  /** Whether the repository's configuration may run programs (see `safeConfig.ts`). */
  trusted: boolean;
  signal?: AbortSignal;
  /** Also search every committed file (not only `.env`-family ones) for the current values. */
  allFiles?: boolean;
  /** Also report on each initialised submodule, as a separate repository. */
  submodules?: boolean;
  onProgress?: (p: HistoryProgress) => void;
  logger?: Logger;
  /** Working `.env` files already read (a scan's); default: found under the repository's work tree. */
  files?: ScanFile[];
  detect?: DetectConfig;
  maxBytes?: number;
  /** A runner already opened for the repository. */
  git?: GitRunner;
  /** Where git's version may be remembered between processes (see `GitRunnerOptions.versionCacheDir`). */
  versionCacheDir?: string;
  /** Detection for a working file (a scan passes its memoised, hint-aware one); default `detectSecrets`. */
  secretsOf?: (file: ScanFile) => Promise<DetectedSecret[]> | DetectedSecret[];
}

/** Everything history says about one repository's `.env` files. Value-free except in memory. */
export interface HistoryReport {
  root: string;
  /** Path of this repository relative to the parent's root, for submodules. */
  submodulePath?: string;
  commits: number;
  envBlobs: EnvBlob[];
  /** Current leaks first (`current: true`), then values rotated since exposure. */
  exposures: Exposure[];
  tracking: TrackingReport;
  partial: boolean;
  partialReasons: string[];
  state: RepoState;
  submodules: HistoryReport[];
}

/**
 * Discovery, exposure check and tracking hygiene for the repository containing `dir`, running the
 * independent git commands concurrently.
 * @throws GitNotFoundError, NotARepositoryError, or the abort reason.
 */
export async function buildHistoryReport(dir: string, options: HistoryReportOptions): Promise<HistoryReport> {
  const { signal, trusted } = options;
  const logger = options.logger ?? silentLogger;
  const git = options.git ?? (await GitRunner.open(dir, { trusted, signal, ...(options.versionCacheDir ? { versionCacheDir: options.versionCacheDir } : {}) }));
  const state = await readRepoState(git, signal);
  // History and the pushed oracle need no working file: git walks history while the work tree is
  // searched and its secrets detected. With --all-files, history is read in the search's own walk
  // instead, once the values to search for are known.
  const discover = () => discoverEnvHistory(git, { signal, onProgress: options.onProgress, maxBytes: options.maxBytes, state });
  let historyRead = options.allFiles && !state.empty && !state.partialClone ? undefined : discover();
  historyRead?.catch(() => undefined);
  const oracleRead = pushedOracle(git, state.hasRemoteRefs, signal);
  oracleRead.catch(() => undefined);
  const files = options.files ? options.files.filter((f) => belongsTo(git.root, f.path)) : await workingFiles(git, options);
  // Its two git commands need only the file list: they run while the files' secrets are detected.
  const trackingRead = trackingHygiene(git, files.map((f) => f.path), { signal });
  trackingRead.catch(() => undefined);

  const secrets: CurrentSecret[] = [];
  for (const [i, f] of files.entries()) {
    // Detection is synchronous: let git's output in between files, so the commands started
    // above move on (check-ignore follows ls-files) instead of waiting for the whole loop.
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (!f.parsed || f.text === undefined) continue;
    const relPath = toRel(git.root, f.path);
    const detected = options.secretsOf
      ? await options.secretsOf(f)
      : detectSecrets(f.parsed, f.text, { ...(options.detect ? { config: options.detect } : {}), ...(relPath ? { relativePath: relPath } : {}) });
    for (const s of detected) {
      if (s.suppressed) continue;
      secrets.push({ file: f.path, relPath, key: s.entry.key, kind: s.kind, value: s.entry.value, range: s.entry.range });
    }
  }

  const partialReasons: string[] = [];
  let allFiles: Promise<AllFilesHit[] | undefined> = Promise.resolve(undefined);
  if (options.allFiles && secrets.length && !state.empty) {
    if (state.partialClone) {
      partialReasons.push('partial clone: the all-files search was skipped (it would need every file version, which is not downloaded)');
    } else {
      const both = readHistoryAndAllFiles(git, secrets.map((s) => s.value), { signal, onProgress: options.onProgress, maxBytes: options.maxBytes, state });
      historyRead = both.then((b) => b.history);
      allFiles = both.then((b) => b.hits);
    }
  }
  allFiles.catch(() => undefined);
  const [history, oracle, tracking, fileHits] = await Promise.all([
    historyRead ?? discover(),
    oracleRead,
    trackingRead,
    allFiles,
  ]);
  partialReasons.unshift(...history.partialReasons);
  const times = fileHits ? await readCommitTimes(git, fileHits.map((h) => h.commit), signal) : undefined;
  const exposures = findExposures(history, secrets, oracle, {
    detect: options.detect ? { config: options.detect } : {},
    ...(fileHits && times ? { allFilesHits: { hits: fileHits, times } } : {}),
  });
  exposures.sort((a, b) => Number(b.current) - Number(a.current) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const report: HistoryReport = {
    root: git.root, commits: history.commits, envBlobs: history.blobs, exposures, tracking,
    partial: partialReasons.length > 0, partialReasons, state, submodules: [],
  };
  if (options.submodules && !git.bare && !state.empty) {
    for (const sub of await submodulePaths(git, signal)) {
      const abs = path.join(git.root, ...sub.split('/'));
      try {
        const child = await buildHistoryReport(abs, { ...options, git: undefined, files: options.files });
        child.submodulePath = sub;
        report.submodules.push(child);
      } catch (err) {
        if (signal?.aborted) throw err;
        logger.info(`history: submodule ${sub} skipped: ${(err as Error).message}`);
      }
    }
  }
  return report;
}

/** Initialised submodules (their work tree has a `.git`), from the index's gitlink entries. */
export async function submodulePaths(git: GitRunner, signal?: AbortSignal): Promise<string[]> {
  const out = await git.run(['ls-files', '-s', '-z'], { signal });
  const paths: string[] = [];
  for (const rec of out.split('\0')) {
    if (!rec.startsWith('160000 ')) continue;
    const tab = rec.indexOf('\t');
    const p = rec.slice(tab + 1);
    if (p && existsSync(path.join(git.root, ...p.split('/'), '.git'))) paths.push(p);
  }
  return paths;
}

async function workingFiles(git: GitRunner, options: HistoryReportOptions): Promise<ScanFile[]> {
  if (git.bare) return [];
  // git is running here anyway: its index names the files, and only the folders it does not
  // enter (ignored ones, nested repositories) are walked.
  const found = (await findEnvFiles(git.root, { signal: options.signal, trusted: true })).filter((f) => belongsTo(git.root, f));
  return Promise.all(found.map((f) => loadScanFile(f, options.maxBytes)));
}

/** Repository-relative `/` path of `abs`, or undefined outside `root`. */
function toRel(root: string, abs: string): string | undefined {
  const rel = path.relative(root, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/**
 * Whether `file` is in `root`'s work tree and not in a nested repository or submodule (a folder
 * between them holding a `.git`), which has its own history.
 */
export function belongsTo(root: string, file: string): boolean {
  const rel = toRel(root, file);
  if (rel === undefined) return false;
  const parts = rel.split('/');
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    dir = path.join(dir, part);
    if (existsSync(path.join(dir, '.git'))) return false;
  }
  return true;
}
