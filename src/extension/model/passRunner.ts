import { performance } from 'node:perf_hooks';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { anchorGitFindings } from '../../core/analysis/anchorGitFindings';
import { runFastPass } from '../../core/analysis/fastPass';
import { runGitPass } from '../../core/analysis/gitPass';
import { loadDetectConfig } from '../../core/detect/config';
import type { DetectConfig } from '../../core/detect/types';
import { findRepoRoot } from '../../core/git/repoRoot';
import type { Logger } from '../../core/log';
import type { PassScheduler } from '../../core/schedule/passScheduler';
import type { RekeySettings } from '../settings';
import type { CodeHints } from './codeHints';
import { readTrackedFiles, type OpenDocument } from './documentReader';
import type { EnvFileRegistry } from './envFileRegistry';
import type { FileGroup, TrackedFile } from './fileState';
import { HISTORY_DISABLED_DETAIL, type HistoryTracker } from './historyTracker';
import type { PassTimings } from './passTimings';
import type { RepositoryWatcher } from './repositoryWatcher';
import { sameAnalysis } from './sameAnalysis';
import { scanSettings } from './scanSettings';
import type { FileAnalysis, HistoryState } from './types';

export type PassKind = 'fast' | 'git' | 'hints';

export interface PassRunnerOptions {
  registry: EnvFileRegistry;
  hints: CodeHints;
  history: HistoryTracker;
  repositories: RepositoryWatcher;
  timings: PassTimings;
  scheduler: PassScheduler;
  logger: Logger;
  /** Folder of the fingerprint key and rotation ledger. */
  stateDir: string;
  /** The settings of a workspace folder (undefined: the window's), with its validated detection config. */
  settingsOf: (scope: vscode.Uri | undefined) => { settings: RekeySettings; detect: DetectConfig };
  trusted: () => boolean;
  openDocument: (uri: vscode.Uri) => OpenDocument | undefined;
  /** Tells listeners which files' analyses changed (undefined: anything may have). */
  fire: (uris: vscode.Uri[] | undefined) => void;
}

/**
 * Runs the analyses of each file group, when asked and one at a time per group and kind:
 *
 * - fast (no programs): parse, secrets, backups, ages (`runFastPass`, which re-analyses only the
 *   files whose text changed);
 * - git (trusted workspaces only): history exposures, tracking, backup tracking, commit ages
 *   (`runGitPass`), followed by a fast pass that shows them;
 * - hints: kind hints from the folder's code.
 *
 * Results go into each `TrackedFile.analysis`; `fire` tells the features. Uses no VS Code API.
 */
export class PassRunner {
  private readonly requestedAt = new Map<string, number>();
  private readonly recordNext = new Set<string>();

  constructor(private readonly o: PassRunnerOptions) {}

  /** An edit of the group: the next fast pass measures from now. */
  noteEdit(group: FileGroup): void {
    this.requestedAt.set(group.key, performance.now());
  }

  /** The next fast pass of the group reads saved text: note its values in the rotation ledger. */
  recordOnNext(group: FileGroup): void {
    this.recordNext.add(group.key);
  }

  forget(key: string): void {
    this.requestedAt.delete(key);
    this.recordNext.delete(key);
  }

  /** Runs `kind` for the group after `delayMs`, replacing an earlier request of the same kind. */
  schedule(group: FileGroup, kind: PassKind, delayMs: number, reason: string): void {
    this.o.scheduler.debounce(`${kind}\0${group.key}`, delayMs, this.job(group, kind, reason));
  }

  /** Schedules the git pass, or records why there is none (untrusted, turned off). */
  scheduleGit(group: FileGroup, delayMs: number, reason: string): void {
    const folder = group.folder;
    if (!folder) return;
    if (!this.o.trusted()) {
      this.o.history.setUntrusted(group.key, folder);
      return;
    }
    if (!this.o.settingsOf(folder.uri).settings.historyEnabled) {
      this.o.history.abort(group.key);
      group.gitFindings = [];
      // A new map, not clear(): the fast pass keys reused ages on its identity.
      group.gitAges = new Map();
      this.o.history.set(group.key, { folder, status: 'disabled', detail: HISTORY_DISABLED_DETAIL });
      this.schedule(group, 'fast', 0, 'history disabled');
      return;
    }
    this.schedule(group, 'git', delayMs, reason);
  }

  /**
   * Runs one analysis of `kind` now; one at a time per group and kind. A request arriving while
   * one runs makes it run again afterwards (with the latest text), except with `wait` (an
   * explicit history scan), which waits for the running one and then runs.
   */
  runNow(group: FileGroup, kind: PassKind, reason: string, wait: boolean): Promise<void> {
    return this.o.scheduler.run(`${kind}\0${group.key}`, this.job(group, kind, reason), wait);
  }

  private job(group: FileGroup, kind: PassKind, reason: string): () => Promise<void> {
    return async () => {
      // A folder removed meanwhile: its results would be dropped anyway.
      if (!this.o.registry.isCurrent(group)) return;
      try {
        if (kind === 'fast') await this.fastPass(group, reason);
        else if (kind === 'git') await this.gitPass(group, reason);
        else await this.o.hints.refresh(group.key, group.root);
      } catch (err) {
        this.o.logger.error(`${kind} analysis of ${group.folder?.name ?? group.root} failed: ${(err as Error).message}`);
      }
    };
  }

  private async readConfig(group: FileGroup): Promise<void> {
    const loaded = await loadDetectConfig(group.root);
    if (loaded.error) this.o.logger.debug(`.rekey.json: ${loaded.error}`);
    group.fileConfig = loaded.config;
  }

  private async fastPass(group: FileGroup, reason: string): Promise<void> {
    const startedAt = performance.now();
    const requestedAt = this.requestedAt.get(group.key);
    this.requestedAt.delete(group.key);
    const { settings, detect } = this.o.settingsOf(group.folder?.uri);
    await this.o.hints.ensure(group.key, group.root);
    await this.readConfig(group);
    const { files, versions, dirty, lines } = await readTrackedFiles(group.files.values(), settings.maxFileSizeKB * 1024, this.o.openDocument);
    const record = this.recordNext.delete(group.key) && !dirty;
    const trusted = this.o.trusted();
    const results = await runFastPass({
      root: group.root,
      files,
      settings: scanSettings({ settings, fileConfig: group.fileConfig, settingsConfig: detect, stateDir: this.o.stateDir }),
      maxBytes: settings.maxFileSizeKB * 1024,
      kindHints: this.o.hints.hintsOf(group.key),
      ...(trusted ? { gitAges: group.gitAges } : {}),
      record,
      logger: this.o.logger,
      cache: group.fastCache,
    });
    if (!this.o.registry.isCurrent(group)) return;
    const changed: vscode.Uri[] = [];
    const byPath = new Map<string, TrackedFile>();
    for (const t of group.files.values()) byPath.set(t.path, t);
    for (const sf of files) {
      const t = byPath.get(sf.path);
      const r = results.get(sf.path);
      if (!t || !r) continue;
      const gitFindings = anchorGitFindings(group.gitFindings.filter((f) => f.file === sf.path), sf.parsed?.entries);
      const analysis: FileAnalysis = {
        uri: t.uri,
        folder: group.folder,
        role: t.role,
        version: versions.get(sf.path) ?? 0,
        secrets: r.secrets,
        findings: [...r.findings, ...gitFindings],
        ages: r.ages,
        backups: r.backups,
        relativePath: relativePath(group.root, sf.path),
      };
      if (sf.parsed) analysis.parsed = sf.parsed;
      if (sf.error) analysis.error = sf.error.message;
      if (r.backupOf) analysis.backupOf = r.backupOf;
      const same = sameAnalysis(t.analysis, analysis);
      t.analysis = analysis;
      if (!same) changed.push(t.uri);
    }
    const finishedAt = performance.now();
    // Listeners (diagnostics first) publish synchronously, so this is when VS Code got them.
    this.o.fire(changed);
    const publishedAt = performance.now();
    this.o.timings.record({
      kind: 'fast', group: group.folder?.name ?? group.root, reason, files: files.length, analysed: group.fastCache.lastAnalysed, lines,
      ...(requestedAt !== undefined ? { requestedAt } : {}),
      debounceMs: reason === 'edit' ? settings.debounceMs : 0, startedAt, finishedAt, publishedAt,
    });
    this.o.logger.debug(`analysed ${group.fastCache.lastAnalysed} of ${files.length} file(s) of ${group.folder?.name ?? group.root} (${reason}) in ${Math.round(finishedAt - startedAt)} ms`);
  }

  private async gitPass(group: FileGroup, reason: string): Promise<void> {
    const { folder } = group;
    if (!folder) return;
    const { history } = this.o;
    if (!this.o.trusted()) {
      history.setUntrusted(group.key, folder);
      return;
    }
    const { settings, detect } = this.o.settingsOf(folder.uri);
    if (!settings.historyEnabled) return;
    const ac = history.begin(group.key);
    const startedAt = performance.now();
    await this.o.hints.ensure(group.key, group.root);
    await this.readConfig(group);
    const { files, lines } = await readTrackedFiles(group.files.values(), settings.maxFileSizeKB * 1024, this.o.openDocument);
    // What git looked like when this pass started: later events compare against it.
    for (const root of new Set(files.map((f) => findRepoRoot(f.path)))) if (root) await this.o.repositories.noteState(root);
    const before = history.get(group.key);
    history.set(group.key, { ...(before ?? { folder }), folder, status: 'running' });
    try {
      const result = await runGitPass({
        root: group.root,
        files,
        settings: scanSettings({ settings, fileConfig: group.fileConfig, settingsConfig: detect, stateDir: this.o.stateDir }),
        allFiles: settings.historyAllFiles,
        maxBytes: settings.maxFileSizeKB * 1024,
        kindHints: this.o.hints.hintsOf(group.key),
        logger: this.o.logger,
        signal: ac.signal,
      });
      if (ac.signal.aborted || !this.o.registry.isCurrent(group)) return;
      group.gitFindings = result.findings;
      group.gitAges = result.gitAges;
      this.o.repositories.watch(result.repositories);
      const state: HistoryState = { folder, status: result.status, lastRun: new Date(), repositories: result.repositories };
      if (result.detail) state.detail = result.detail;
      history.set(group.key, state);
      const finishedAt = performance.now();
      this.o.timings.record({ kind: 'git', group: folder.name, reason, files: files.length, lines, debounceMs: 0, startedAt, finishedAt });
      this.o.logger.info(`${folder.name}: git checks (${reason}) found ${result.findings.length} finding(s) in ${Math.round(finishedAt - startedAt)} ms`);
    } catch (err) {
      if (ac.signal.aborted) {
        const current = history.get(group.key);
        if (current?.status === 'running') history.set(group.key, { ...current, status: current.lastRun ? 'done' : 'not-run' });
        return;
      }
      history.set(group.key, { folder, status: 'unavailable', detail: `History could not be read: ${(err as Error).message}` });
      throw err;
    } finally {
      history.end(group.key, ac);
    }
    await this.runNow(group, 'fast', 'git results', false);
  }
}

function relativePath(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : path.basename(file);
}
