// Over 400 lines, knowingly: this is still the model's facade plus the concerns not yet split
// out (file registry, document reader, history state, kind hints, timings). Scheduling lives in
// core/schedule/passScheduler, the passes in core/analysis (gitPass) and ./fastPass, repository
// locations in core/git/repoRoot. Split the next concern out before adding one.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { findAuthSecretHints } from '../../core/consumers/authSecretHints';
import { loadDetectConfig, mergeDetectConfigs } from '../../core/detect/config';
import type { DetectConfig, DetectOptions } from '../../core/detect/types';
import { parseEnv } from '../../core/env/parse';
import type { EnvEntry } from '../../core/env/types';
import type { Finding } from '../../core/findings/finding';
import { formatBytes, readEnvFile, type ReadResult } from '../../core/fs/readTextFile';
import { findRepoRoot, resolveGitDirs } from '../../core/git/repoRoot';
import type { Logger } from '../../core/log';
import { findConsumers, type ConsumerScan } from '../../core/rotation/consumers';
import type { ScanFile } from '../../core/findings/scanContext';
import { classifyEnvFileName, SKIPPED_DIRS } from '../../core/workspace/envFileNames';
import type { Notifier } from '../notifier';
import type { RekeySettings } from '../settings';
import type { SettingsSnapshots } from '../settingsSnapshots';
import { discoverEnvFiles, ENV_FAMILY_GLOB, EXCLUDE_GLOB, isAnalysable, SOURCE_GLOB } from './discovery';
import { runFastPass } from './fastPass';
import type { DiskState, FileGroup, TrackedFile } from './fileState';
import { GIT_RULES, runGitPass } from '../../core/analysis/gitPass';
import { scanSettings } from './scanSettings';
import { PassScheduler } from '../../core/schedule/passScheduler';
import type { FileAnalysis, HistoryState, WorkspaceModel } from './types';

export interface WorkspaceModelOptions {
  logger: Logger;
  notifier: Notifier;
  /** Folder of the fingerprint key and rotation ledger (the extension's global storage). */
  stateDir: string;
  workspaceState: vscode.Memento;
  /** Settings per workspace folder (resource-scoped settings differ between folders). */
  settings: SettingsSnapshots;
}

/** One analysis, timed: what the activation bench and `api.stats()` report. */
export interface PassTiming {
  kind: 'fast' | 'git';
  group: string;
  reason: string;
  files: number;
  /** Lines across the group's files. */
  lines: number;
  /** performance.now() of the event that asked for it (an edit), when there was one. */
  requestedAt?: number;
  debounceMs: number;
  startedAt: number;
  finishedAt: number;
  /** When the listeners (diagnostics, masking, views) had the results; fast passes only. */
  publishedAt?: number;
}

const UNTRUSTED_DETAIL =
  'This workspace is not trusted, so rekey does not run git: history exposures, tracking checks and commit-based ages are off. Parsing, secret detection, masking and backup comparison work. Trust the workspace to turn the git checks on.';
const UNTRUSTED_NOTICE_KEY = 'rekey.untrustedNoticeShown';
/** Wait after a git change (HEAD, index) before re-reading history: commands touch them in bursts. */
const GIT_DEBOUNCE_MS = 1500;
/** Wait after source-file changes before re-reading kind hints from the code. */
const HINTS_DEBOUNCE_MS = 2000;

/**
 * The workspace model: discovers `.env`-family files per workspace folder, analyses them with
 * the core rule providers, and keeps the results current. Two kinds of analysis:
 *
 * - fast (no programs): parse, secrets, backups, ages; on open, edit (debounced), save, disk and
 *   settings changes;
 * - git (trusted workspaces only): history exposures, tracking, backup tracking, commit ages; on
 *   start, save, HEAD/index/refs changes, settings changes and explicit history scans.
 *
 * Text comes from open documents (unsaved edits count) or from disk. Nothing here ever logs or
 * returns a value outside `FileAnalysis.parsed` / `secrets`, which renderers must mask.
 */
/** How long a consumer scan is reused without a watcher event saying the sources changed. */
const CONSUMERS_MAX_AGE_MS = 5_000;

export class EnvWorkspaceModel implements WorkspaceModel {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChange = this.changeEmitter.event;

  private readonly groups = new Map<string, FileGroup>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Debounced, one-at-a-time passes per group and kind; what `whenIdle()` waits for. */
  private readonly scheduler: PassScheduler;
  private readonly gitAborts = new Map<string, AbortController>();
  private readonly recordNext = new Set<string>();
  private readonly requestedAt = new Map<string, number>();
  private readonly repoWatchers = new Map<string, vscode.Disposable>();
  private readonly timings: PassTiming[] = [];
  private started = false;
  private disposed = false;
  /** State of each repository's HEAD, index and refs when its last git pass started. */
  private readonly repoStamps = new Map<string, string>();
  private readonly repoForced = new Set<string>();

  constructor(private readonly options: WorkspaceModelOptions) {
    this.scheduler = new PassScheduler((id, err) => options.logger.error(`${id.replace('\0', ' of ')} failed: ${(err as Error).message}`));
  }

  // ---- lifecycle

  /**
   * Starts listening and discovering. Returns at once: discovery and the first analyses run in
   * the background (activation must stay cheap).
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    const ws = vscode.workspace;
    this.disposables.push(
      this.changeEmitter,
      ws.onDidOpenTextDocument((d) => this.onOpen(d)),
      ws.onDidChangeTextDocument((e) => this.onEdit(e)),
      ws.onDidSaveTextDocument((d) => this.onSave(d)),
      ws.onDidCloseTextDocument((d) => this.onClose(d)),
      ws.onDidChangeWorkspaceFolders((e) => this.onFolders(e)),
      ws.onDidChangeConfiguration((e) => this.onConfiguration(e)),
      ws.onDidGrantWorkspaceTrust(() => this.onTrustGranted()),
    );
    const envWatcher = ws.createFileSystemWatcher(ENV_FAMILY_GLOB);
    this.disposables.push(
      envWatcher,
      envWatcher.onDidCreate((u) => this.onDiskChange(u, 'created')),
      envWatcher.onDidChange((u) => this.onDiskChange(u, 'changed')),
      envWatcher.onDidDelete((u) => this.onDiskChange(u, 'deleted')),
    );
    // Deleting or moving a folder reports the folder only: follow it to the files inside.
    const anyWatcher = ws.createFileSystemWatcher('**/*', false, true, false);
    this.disposables.push(anyWatcher, anyWatcher.onDidDelete((u) => this.onPathDeleted(u)), anyWatcher.onDidCreate((u) => this.onPathCreated(u)));
    const configWatcher = ws.createFileSystemWatcher('**/{.rekey.json,.gitignore}');
    const onConfigFile = (u: vscode.Uri) => this.onConfigFile(u);
    this.disposables.push(configWatcher, configWatcher.onDidCreate(onConfigFile), configWatcher.onDidChange(onConfigFile), configWatcher.onDidDelete(onConfigFile));
    const sourceWatcher = ws.createFileSystemWatcher(SOURCE_GLOB);
    const onSource = (u: vscode.Uri) => this.onSourceChange(u);
    this.disposables.push(sourceWatcher, sourceWatcher.onDidCreate(onSource), sourceWatcher.onDidChange(onSource), sourceWatcher.onDidDelete(onSource));

    this.scheduler.debounce('discovery', 0, () =>
      this.discoverAll().catch((err: unknown) => this.options.logger.error(`discovery failed: ${(err as Error).message}`)),
    );
  }

  dispose(): void {
    this.disposed = true;
    this.scheduler.dispose();
    for (const a of this.gitAborts.values()) a.abort();
    for (const w of this.repoWatchers.values()) w.dispose();
    for (const d of this.disposables) d.dispose();
  }

  // ---- WorkspaceModel

  files(): FileAnalysis[] {
    const out: FileAnalysis[] = [];
    for (const g of this.groups.values()) for (const f of g.files.values()) if (f.analysis) out.push(f.analysis);
    return out.sort((a, b) => (a.uri.fsPath < b.uri.fsPath ? -1 : a.uri.fsPath > b.uri.fsPath ? 1 : 0));
  }

  get(uri: vscode.Uri): FileAnalysis | undefined {
    return this.tracked(uri)?.analysis;
  }

  async refresh(uri?: vscode.Uri): Promise<void> {
    if (uri) {
      const group = this.groupOfTracked(uri);
      const file = this.tracked(uri);
      if (file) file.diskStale = true;
      if (group) this.schedule(group, 'fast', 0, 'refresh');
    } else {
      await this.discoverAll();
    }
    await this.whenIdle();
  }

  async scanHistory(token?: vscode.CancellationToken, progress?: vscode.Progress<{ message?: string; increment?: number }>): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      this.explainUntrusted();
      return;
    }
    const groups = [...this.groups.values()].filter((g) => g.folder);
    let done = 0;
    for (const g of groups) {
      if (token?.isCancellationRequested) return;
      progress?.report({ message: g.folder?.name ?? path.basename(g.root), increment: 0 });
      const sub = token?.onCancellationRequested(() => this.gitAborts.get(g.key)?.abort());
      try {
        await this.runNow(g, 'git', 'scan history', true);
      } finally {
        sub?.dispose();
      }
      done++;
      progress?.report({ increment: 100 / Math.max(1, groups.length) });
    }
    if (done === 0) this.options.logger.info('scan history: no workspace folder to scan');
  }

  history(): HistoryState[] {
    const out: HistoryState[] = [];
    for (const g of this.groups.values()) if (g.history) out.push({ ...g.history });
    return out;
  }

  whenIdle(): Promise<void> {
    return this.scheduler.whenIdle();
  }

  detectOptions(uri: vscode.Uri): DetectOptions {
    const group = this.groupOfTracked(uri) ?? this.groupFor(uri);
    const settingsConfig = this.settingsConfig(group?.folder?.uri ?? uri);
    const out: DetectOptions = {};
    if (group) {
      out.config = mergeDetectConfigs(group.fileConfig, settingsConfig);
      out.kindHints = group.kindHints;
      const rel = path.relative(group.root, uri.fsPath);
      if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) out.relativePath = rel.split(path.sep).join('/');
    } else {
      out.config = settingsConfig;
    }
    return out;
  }

  consumersOf(uri: vscode.Uri, key: string, token?: vscode.CancellationToken): Promise<ConsumerScan | undefined> {
    const group = this.groupOfTracked(uri) ?? this.groupFor(uri);
    if (!group) return Promise.resolve(undefined);
    const id = `${uri.fsPath}\0${key}`;
    const cached = group.consumers.get(id);
    // Source changes clear the cache through a file watcher; watchers can drop or delay events
    // (large trees, busy machines), so an entry is also trusted only for a short while.
    let p = cached && Date.now() - cached.at < CONSUMERS_MAX_AGE_MS ? cached.scan : undefined;
    if (!p) {
      const ac = new AbortController();
      p = findConsumers({ workspaceRoot: group.root, key, envFile: uri.fsPath, trusted: vscode.workspace.isTrusted, signal: ac.signal, logger: this.options.logger }).catch(
        (err: unknown) => {
          group.consumers.delete(id);
          if (!ac.signal.aborted) this.options.logger.warn(`consumer scan for ${key} failed: ${(err as Error).message}`);
          return undefined;
        },
      );
      group.consumers.set(id, { scan: p, at: Date.now() });
    }
    if (!token) return p;
    const listeners: vscode.Disposable[] = [];
    const cancelled = new Promise<undefined>((resolve) => {
      listeners.push(token.onCancellationRequested(() => resolve(undefined)));
    });
    return Promise.race([p, cancelled]).finally(() => {
      for (const l of listeners) l.dispose();
    });
  }

  // ---- extras for the API and the bench

  /** Timings of the last analyses (newest last). */
  stats(): PassTiming[] {
    return [...this.timings];
  }

  // ---- events

  private onOpen(doc: vscode.TextDocument): void {
    if (!isAnalysable(doc.uri)) return;
    const group = this.ensureTracked(doc.uri);
    if (group) this.schedule(group, 'fast', 0, 'open');
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const group = this.groupOfTracked(e.document.uri);
    if (!group) return;
    this.requestedAt.set(group.key, performance.now());
    this.schedule(group, 'fast', this.settings(e.document.uri).debounceMs, 'edit');
  }

  private onSave(doc: vscode.TextDocument): void {
    const group = this.groupOfTracked(doc.uri);
    if (!group) return;
    const file = this.tracked(doc.uri);
    if (file) file.diskStale = true;
    this.recordNext.add(group.key);
    this.schedule(group, 'fast', 0, 'save');
    this.scheduleGit(group, 500, 'save');
  }

  private onClose(doc: vscode.TextDocument): void {
    const group = this.groupOfTracked(doc.uri);
    if (!group) return;
    const file = this.tracked(doc.uri);
    if (!group.folder) {
      // A file from outside the workspace is followed only while it is open.
      group.files.delete(doc.uri.toString());
      if (group.files.size === 0) this.groups.delete(group.key);
      this.changeEmitter.fire([doc.uri]);
      return;
    }
    // Unsaved edits are gone: the analysis goes back to what is on disk.
    if (file) file.diskStale = true;
    this.schedule(group, 'fast', 0, 'close');
  }

  private onDiskChange(uri: vscode.Uri, what: 'created' | 'changed' | 'deleted'): void {
    this.options.logger.trace(`${what}: ${uri.fsPath}`);
    if (!isAnalysable(uri)) return;
    if (what === 'deleted') {
      const group = this.groupOfTracked(uri);
      if (!group) return;
      group.files.delete(uri.toString());
      this.changeEmitter.fire([uri]);
      this.schedule(group, 'fast', 0, 'deleted');
      this.scheduleGit(group, GIT_DEBOUNCE_MS, 'file deleted');
      return;
    }
    const existing = this.tracked(uri);
    const group = existing ? this.groupOfTracked(uri) : this.ensureTracked(uri, true);
    if (!group) return;
    if (existing) existing.diskStale = true;
    this.schedule(group, 'fast', 0, `file ${what}`);
    this.scheduleGit(group, GIT_DEBOUNCE_MS, `file ${what}`);
  }

  private onPathDeleted(uri: vscode.Uri): void {
    this.options.logger.trace(`deleted: ${uri.fsPath}`);
    if (uri.scheme !== 'file' || isAnalysable(uri)) return;
    const prefix = uri.fsPath.endsWith(path.sep) ? uri.fsPath : uri.fsPath + path.sep;
    for (const g of this.groups.values()) {
      const gone = [...g.files.values()].filter((f) => f.path.startsWith(prefix));
      if (gone.length === 0) continue;
      for (const f of gone) g.files.delete(f.uri.toString());
      this.changeEmitter.fire(gone.map((f) => f.uri));
      this.schedule(g, 'fast', 0, 'folder deleted');
      this.scheduleGit(g, GIT_DEBOUNCE_MS, 'folder deleted');
    }
  }

  private readonly createdPaths = new Set<string>();

  /** A folder created or moved in may hold `.env` files no event named: look into new folders. */
  private onPathCreated(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || isAnalysable(uri) || this.createdPaths.size > 500) return;
    // Dependency installs create thousands of folders there; no .env of the project lives in them.
    if (uri.fsPath.split(path.sep).some((part) => SKIPPED_DIRS.has(part))) return;
    this.createdPaths.add(uri.fsPath);
    // Collected for 300 ms from the first event, not pushed back by each later one.
    if (this.scheduler.isPending('created')) return;
    this.scheduler.debounce('created', 300, () => {
      const paths = [...this.createdPaths];
      this.createdPaths.clear();
      return this.lookIntoCreated(paths);
    });
  }

  private async lookIntoCreated(paths: string[]): Promise<void> {
    for (const p of paths) {
      const isDir = await fs.stat(p).then((s) => s.isDirectory(), () => false);
      if (!isDir) continue;
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.file(p), ENV_FAMILY_GLOB), EXCLUDE_GLOB, 200);
      for (const u of found) if (isAnalysable(u) && !this.tracked(u)) this.onDiskChange(u, 'created');
    }
  }

  private onConfigFile(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const group = folder ? this.groups.get(folder.uri.toString()) : undefined;
    if (!group) return;
    if (path.basename(uri.fsPath) === '.rekey.json') {
      this.schedule(group, 'fast', 0, '.rekey.json changed');
      this.scheduleGit(group, GIT_DEBOUNCE_MS, '.rekey.json changed');
    } else {
      this.scheduleGit(group, 300, '.gitignore changed');
    }
  }

  private onSourceChange(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const group = folder ? this.groups.get(folder.uri.toString()) : undefined;
    if (!group) return;
    group.hintsFresh = false;
    group.consumers.clear();
    this.schedule(group, 'hints', HINTS_DEBOUNCE_MS, 'source changed');
  }

  private onFolders(e: vscode.WorkspaceFoldersChangeEvent): void {
    for (const f of e.removed) {
      const g = this.groups.get(f.uri.toString());
      if (!g) continue;
      this.gitAborts.get(g.key)?.abort();
      this.groups.delete(g.key);
      this.changeEmitter.fire([...g.files.values()].map((t) => t.uri));
    }
    for (const f of e.added) {
      void this.scheduler.track(
        'discovery',
        this.discoverFolder(f).catch((err: unknown) => this.options.logger.error(`discovery of ${f.name} failed: ${(err as Error).message}`)),
      );
    }
  }

  private onConfiguration(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration('rekey')) return;
    for (const g of this.groups.values()) {
      const scope = g.folder ?? undefined;
      const affects = (s: string) => e.affectsConfiguration(s, scope);
      if (affects('rekey.maxFileSizeKB')) for (const f of g.files.values()) f.diskStale = true;
      if (affects('rekey.backups') || affects('rekey.kinds') || affects('rekey.intervals') || affects('rekey.notSecret') || affects('rekey.rotation') || affects('rekey.maxFileSizeKB')) {
        this.schedule(g, 'fast', 0, 'settings changed');
      }
      if (affects('rekey.history') || affects('rekey.kinds') || affects('rekey.notSecret') || affects('rekey.backups')) {
        this.scheduleGit(g, 0, 'settings changed');
      }
    }
  }

  private onTrustGranted(): void {
    this.options.logger.info('workspace trusted: git checks are on');
    for (const g of this.groups.values()) {
      g.hintsFresh = false;
      this.schedule(g, 'hints', 0, 'trust granted');
      this.scheduleGit(g, 0, 'trust granted');
    }
  }

  // ---- discovery

  private async discoverAll(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    await Promise.all(folders.map((f) => this.discoverFolder(f)));
    for (const doc of vscode.workspace.textDocuments) this.onOpen(doc);
    const tracked = [...this.groups.values()].reduce((n, g) => n + g.files.size, 0);
    if (!vscode.workspace.isTrusted && tracked > 0) this.explainUntrusted();
  }

  private async discoverFolder(folder: vscode.WorkspaceFolder): Promise<void> {
    const started = performance.now();
    const { uris, truncated } = await discoverEnvFiles(folder);
    if (this.disposed) return;
    const group = this.ensureGroup(folder);
    const seen = new Set<string>();
    for (const uri of uris) {
      seen.add(uri.toString());
      if (!group.files.has(uri.toString())) group.files.set(uri.toString(), newTracked(uri));
    }
    const gone = [...group.files.values()].filter((f) => !seen.has(f.uri.toString()) && !this.openDocument(f.uri));
    for (const f of gone) group.files.delete(f.uri.toString());
    if (gone.length) this.changeEmitter.fire(gone.map((f) => f.uri));
    this.options.logger.info(`${folder.name}: ${uris.length} .env-family file(s) found in ${Math.round(performance.now() - started)} ms${truncated ? ' (stopped at the limit; some files are not analysed)' : ''}`);
    this.recordNext.add(group.key);
    this.schedule(group, 'fast', 0, 'discovery');
    this.scheduleGit(group, 0, 'discovery');
  }

  private ensureGroup(folder: vscode.WorkspaceFolder): FileGroup {
    const key = folder.uri.toString();
    let g = this.groups.get(key);
    if (!g) {
      g = newGroup(key, folder.uri.fsPath, folder);
      this.groups.set(key, g);
    }
    return g;
  }

  /** The group that owns `uri` (its workspace folder, or a group for its own folder when outside). */
  private groupFor(uri: vscode.Uri): FileGroup | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder) return this.groups.get(folder.uri.toString());
    return this.groups.get(`loose:${path.dirname(uri.fsPath)}`);
  }

  /** Adds `uri` to its group (creating a loose group outside the workspace) and returns the group. */
  private ensureTracked(uri: vscode.Uri, fromDisk = false): FileGroup | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    let group: FileGroup;
    if (folder) {
      group = this.ensureGroup(folder);
    } else {
      // Files outside every folder are followed while open, not discovered on disk.
      if (fromDisk) return undefined;
      const key = `loose:${path.dirname(uri.fsPath)}`;
      let g = this.groups.get(key);
      if (!g) {
        g = newGroup(key, path.dirname(uri.fsPath), undefined);
        this.groups.set(key, g);
      }
      group = g;
    }
    if (!group.files.has(uri.toString())) group.files.set(uri.toString(), newTracked(uri));
    return group;
  }

  private tracked(uri: vscode.Uri): TrackedFile | undefined {
    return this.groupOfTracked(uri)?.files.get(uri.toString());
  }

  private groupOfTracked(uri: vscode.Uri): FileGroup | undefined {
    const key = uri.toString();
    const g = this.groupFor(uri);
    if (g?.files.has(key)) return g;
    for (const other of this.groups.values()) if (other.files.has(key)) return other;
    return undefined;
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);
  }

  // ---- scheduling

  private scheduleGit(group: FileGroup, delayMs: number, reason: string): void {
    const folder = group.folder;
    if (!folder) return;
    if (!vscode.workspace.isTrusted) {
      this.setHistory(group, { folder, status: 'untrusted', detail: UNTRUSTED_DETAIL });
      return;
    }
    if (!this.settings(folder.uri).historyEnabled) {
      this.gitAborts.get(group.key)?.abort();
      group.gitFindings = [];
      group.gitAges.clear();
      this.setHistory(group, { folder, status: 'disabled', detail: 'History checks are off (setting rekey.history.enabled).' });
      this.schedule(group, 'fast', 0, 'history disabled');
      return;
    }
    this.schedule(group, 'git', delayMs, reason);
  }

  /** Runs `kind` for the group after `delayMs`, replacing an earlier request of the same kind. */
  private schedule(group: FileGroup, kind: 'fast' | 'git' | 'hints', delayMs: number, reason: string): void {
    if (this.disposed) return;
    this.scheduler.debounce(`${kind}\0${group.key}`, delayMs, this.passJob(group, kind, reason));
  }

  /**
   * Runs one analysis of `kind` now; one at a time per group and kind. A request arriving while
   * one runs makes it run again afterwards (with the latest text), except an explicit history
   * scan, which waits for the running one and then runs.
   */
  private runNow(group: FileGroup, kind: 'fast' | 'git' | 'hints', reason: string, wait: boolean): Promise<void> {
    return this.scheduler.run(`${kind}\0${group.key}`, this.passJob(group, kind, reason), wait);
  }

  private passJob(group: FileGroup, kind: 'fast' | 'git' | 'hints', reason: string): () => Promise<void> {
    return async () => {
      // A folder removed meanwhile: its results would be dropped anyway.
      if (this.groups.get(group.key) !== group) return;
      try {
        if (kind === 'fast') await this.fastPass(group, reason);
        else if (kind === 'git') await this.gitPass(group, reason);
        else await (group.hintsRun = this.computeHints(group));
      } catch (err) {
        this.options.logger.error(`${kind} analysis of ${group.folder?.name ?? group.root} failed: ${(err as Error).message}`);
      }
    };
  }

  // ---- analyses

  private settings(scope?: vscode.ConfigurationScope): RekeySettings {
    return this.options.settings.of(scope).settings;
  }

  /** The folder's `rekey.kinds`, `rekey.intervals` and `rekey.notSecret`, validated. */
  private settingsConfig(scope: vscode.ConfigurationScope | undefined): DetectConfig {
    return this.options.settings.of(scope).detect;
  }

  /** Reads every file of the group (documents first, then disk) into scan files. */
  private async scanFiles(group: FileGroup, settings: RekeySettings): Promise<{ files: ScanFile[]; versions: Map<string, number>; dirty: boolean; lines: number }> {
    const maxBytes = settings.maxFileSizeKB * 1024;
    const files: ScanFile[] = [];
    const versions = new Map<string, number>();
    let dirty = false;
    let lines = 0;
    for (const t of group.files.values()) {
      const doc = this.openDocument(t.uri);
      let disk = t.disk;
      if (t.diskStale || !disk) {
        disk = doc ? await statOf(t.path) : toDiskState(await readEnvFile(t.path, maxBytes));
        t.disk = disk;
        t.diskStale = false;
      }
      let text: string | undefined;
      let error = disk.error;
      if (doc) {
        dirty ||= doc.isDirty;
        text = doc.getText();
        versions.set(t.path, doc.version);
        // A document's size in UTF-8: cheap upper bound first, exact count only near the cap.
        const bytes = text.length * 3 <= maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
        if (bytes > maxBytes) {
          error = { reason: 'too-large', message: `larger than the ${formatBytes(maxBytes)} limit (${formatBytes(bytes)}); skipped` };
          text = undefined;
        } else {
          error = undefined;
        }
      } else {
        text = disk.text;
        versions.set(t.path, Math.round(disk.mtimeMs ?? 0));
        if (!error && text === undefined) error = { reason: 'unreadable', message: 'cannot be read; skipped' };
        if (error?.reason === 'not-found') continue;
      }
      const sf: ScanFile = { path: t.path, role: t.role };
      if (disk.mtimeMs !== undefined) sf.mtimeMs = disk.mtimeMs;
      if (disk.mode !== undefined) sf.mode = disk.mode;
      if (text !== undefined) {
        if (t.parsedText !== text || !t.parsed) {
          t.parsed = parseEnv(text);
          t.parsedText = text;
        }
        sf.text = text;
        sf.parsed = t.parsed;
        lines += t.parsed.lineCount;
      } else if (error) {
        sf.error = error;
      }
      files.push(sf);
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { files, versions, dirty, lines };
  }

  private async fastPass(group: FileGroup, reason: string): Promise<void> {
    const startedAt = performance.now();
    const requestedAt = this.requestedAt.get(group.key);
    this.requestedAt.delete(group.key);
    const settings = this.settings(group.folder?.uri);
    await this.ensureHints(group);
    group.fileConfig = await readFileConfig(group, this.options.logger);
    const { files, versions, dirty, lines } = await this.scanFiles(group, settings);
    const record = this.recordNext.delete(group.key) && !dirty;
    const results = await runFastPass({
      group,
      files,
      settings,
      settingsConfig: this.settingsConfig(group.folder?.uri),
      stateDir: this.options.stateDir,
      trusted: vscode.workspace.isTrusted,
      record,
      logger: this.options.logger,
    });
    if (this.groups.get(group.key) !== group) return;
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
        relativePath: relativePath(group, sf.path),
      };
      if (sf.parsed) analysis.parsed = sf.parsed;
      if (sf.error) analysis.error = sf.error.message;
      if (r.backupOf) analysis.backupOf = r.backupOf;
      t.analysis = analysis;
      changed.push(t.uri);
    }
    const finishedAt = performance.now();
    // Listeners (diagnostics first) publish synchronously, so this is when VS Code got them.
    this.changeEmitter.fire(changed);
    const publishedAt = performance.now();
    this.recordTiming({
      kind: 'fast', group: group.folder?.name ?? group.root, reason, files: files.length, lines,
      ...(requestedAt !== undefined ? { requestedAt } : {}),
      debounceMs: reason === 'edit' ? settings.debounceMs : 0, startedAt, finishedAt, publishedAt,
    });
    this.options.logger.debug(`analysed ${files.length} file(s) of ${group.folder?.name ?? group.root} (${reason}) in ${Math.round(finishedAt - startedAt)} ms`);
  }

  private async gitPass(group: FileGroup, reason: string): Promise<void> {
    if (!group.folder) return;
    if (!vscode.workspace.isTrusted) {
      this.setHistory(group, { folder: group.folder, status: 'untrusted', detail: UNTRUSTED_DETAIL });
      return;
    }
    const settings = this.settings(group.folder.uri);
    if (!settings.historyEnabled) return;
    this.gitAborts.get(group.key)?.abort();
    const ac = new AbortController();
    this.gitAborts.set(group.key, ac);
    const startedAt = performance.now();
    await this.ensureHints(group);
    group.fileConfig = await readFileConfig(group, this.options.logger);
    const { files, lines } = await this.scanFiles(group, settings);
    // What git looked like when this pass started: later events compare against it.
    for (const root of new Set(files.map((f) => findRepoRoot(f.path)))) if (root) this.repoStamps.set(root, await repoStamp(root));
    this.setHistory(group, { ...(group.history ?? { folder: group.folder }), folder: group.folder, status: 'running' });
    try {
      const result = await runGitPass({
        root: group.root,
        files,
        settings: scanSettings({ settings, fileConfig: group.fileConfig, settingsConfig: this.settingsConfig(group.folder.uri), stateDir: this.options.stateDir }),
        allFiles: settings.historyAllFiles,
        maxBytes: settings.maxFileSizeKB * 1024,
        kindHints: group.kindHints,
        logger: this.options.logger,
        signal: ac.signal,
      });
      if (ac.signal.aborted || this.groups.get(group.key) !== group) return;
      group.gitFindings = result.findings;
      group.gitAges = result.gitAges;
      this.watchRepositories(result.repositories);
      const state: HistoryState = { folder: group.folder, status: result.status, lastRun: new Date(), repositories: result.repositories };
      if (result.detail) state.detail = result.detail;
      this.setHistory(group, state);
      const finishedAt = performance.now();
      this.recordTiming({ kind: 'git', group: group.folder.name, reason, files: files.length, lines, debounceMs: 0, startedAt, finishedAt });
      this.options.logger.info(`${group.folder.name}: git checks (${reason}) found ${result.findings.length} finding(s) in ${Math.round(finishedAt - startedAt)} ms`);
    } catch (err) {
      if (ac.signal.aborted) {
        if (group.history?.status === 'running') this.setHistory(group, { ...group.history, status: group.history.lastRun ? 'done' : 'not-run' });
        return;
      }
      this.setHistory(group, { folder: group.folder, status: 'unavailable', detail: `History could not be read: ${(err as Error).message}` });
      throw err;
    } finally {
      if (this.gitAborts.get(group.key) === ac) this.gitAborts.delete(group.key);
    }
    await this.runNow(group, 'fast', 'git results', false);
  }

  /** The first analyses wait for kind hints; later ones use the last hints while new ones are computed. */
  private async ensureHints(group: FileGroup): Promise<void> {
    if (group.hintsComputed) return;
    group.hintsRun ??= this.computeHints(group);
    await group.hintsRun;
  }

  private async computeHints(group: FileGroup): Promise<void> {
    const started = performance.now();
    try {
      const hints = await findAuthSecretHints(group.root, { trusted: vscode.workspace.isTrusted, logger: this.options.logger });
      const changed = !sameHints(group.kindHints, hints);
      group.kindHints = hints;
      group.hintsFresh = true;
      const first = !group.hintsComputed;
      group.hintsComputed = true;
      this.options.logger.debug(`${group.folder?.name ?? group.root}: ${hints.size} kind hint(s) from the code in ${Math.round(performance.now() - started)} ms`);
      if (changed && !first) this.schedule(group, 'fast', 0, 'kind hints changed');
    } catch (err) {
      group.hintsComputed = true;
      this.options.logger.warn(`kind hints from the code unavailable: ${(err as Error).message}`);
    }
  }

  // ---- git watching

  /**
   * Watches HEAD, the index and refs of each repository: commits, checkouts and staging re-run the
   * git pass. In linked worktrees and submodules `.git` is a file naming the real git dir, and refs
   * live in the shared dir, so both are resolved first.
   */
  private watchRepositories(roots: string[]): void {
    for (const root of roots) {
      if (this.repoWatchers.has(root)) continue;
      const dirs = resolveGitDirs(root);
      if (!dirs) continue;
      const gitDir = vscode.Uri.file(dirs.gitDir);
      const commonDir = vscode.Uri.file(dirs.commonDir);
      // As the built-in git extension does: the files directly in the git dir, and refs.
      const top = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(gitDir, '*'));
      const refs = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(commonDir, 'refs/**'));
      const watchers = [top, refs];
      if (dirs.commonDir !== dirs.gitDir) watchers.push(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(commonDir, 'packed-refs')));
      const onGit = (uri: vscode.Uri) => {
        const name = path.basename(uri.fsPath);
        const isRef = uri.fsPath.includes(`${path.sep}refs${path.sep}`);
        if (!isRef && name !== 'HEAD' && name !== 'index' && name !== 'packed-refs') return;
        // rekey never writes refs: a changed tag or remote branch (a push) always counts.
        if (isRef) this.repoForced.add(root);
        this.scheduleRepoCheck(root);
      };
      const subscriptions = watchers.flatMap((w) => [w, w.onDidChange(onGit), w.onDidCreate(onGit), w.onDidDelete(onGit)]);
      this.repoWatchers.set(root, vscode.Disposable.from(...subscriptions));
    }
  }

  /**
   * After git events settle, re-runs the git pass of the folders using `root` if HEAD, the index
   * or refs really differ from what the last pass started from. Comparing states (not counting
   * events) means git commands rekey runs itself cannot start an endless loop of passes.
   */
  private scheduleRepoCheck(root: string): void {
    this.scheduler.debounce(`repo\0${root}`, GIT_DEBOUNCE_MS, async () => {
      const stamp = await repoStamp(root);
      const forced = this.repoForced.delete(root);
      if (!forced && stamp === this.repoStamps.get(root)) return;
      this.options.logger.debug(`git state of ${root} changed: checking again`);
      for (const g of this.groups.values()) if (g.history?.repositories?.includes(root)) this.scheduleGit(g, 0, 'git state changed');
    });
  }

  // ---- helpers

  private setHistory(group: FileGroup, state: HistoryState): void {
    const before = group.history;
    group.history = state;
    if (!before || before.status !== state.status || before.detail !== state.detail || before.lastRun !== state.lastRun) this.changeEmitter.fire(undefined);
  }

  /** The one explanation of what an untrusted workspace turns off: once per workspace. */
  private explainUntrusted(): void {
    for (const g of this.groups.values()) if (g.folder) this.setHistory(g, { folder: g.folder, status: 'untrusted', detail: UNTRUSTED_DETAIL });
    if (this.options.workspaceState.get<boolean>(UNTRUSTED_NOTICE_KEY)) return;
    void this.options.workspaceState.update(UNTRUSTED_NOTICE_KEY, true);
    this.options.logger.info(UNTRUSTED_DETAIL);
    void this.options.notifier.once('untrusted', `rekey: ${UNTRUSTED_DETAIL}`, 'Manage Workspace Trust').then((pick) => {
      if (pick === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
    });
  }

  private recordTiming(t: PassTiming): void {
    this.timings.push(t);
    if (this.timings.length > 200) this.timings.shift();
  }
}

/** A cheap summary of a repository's HEAD, index and refs (contents of HEAD, times and sizes of the rest). */
async function repoStamp(root: string): Promise<string> {
  const dirs = resolveGitDirs(root);
  if (!dirs) return '-';
  const stat = (dir: string, p: string) => fs.stat(path.join(dir, p)).then((s) => `${s.mtimeMs}:${s.size}`, () => '-');
  const head = await fs.readFile(path.join(dirs.gitDir, 'HEAD'), 'utf8').catch(() => '');
  const ref = /^ref: (refs\/[^\s]+)/.exec(head)?.[1];
  const parts = await Promise.all([stat(dirs.gitDir, 'index'), stat(dirs.commonDir, 'packed-refs'), ref ? stat(dirs.commonDir, ref) : Promise.resolve('-')]);
  return [head.trim(), ...parts].join('|');
}

function newTracked(uri: vscode.Uri): TrackedFile {
  return { uri, path: uri.fsPath, role: classifyEnvFileName(uri.fsPath) ?? 'env', diskStale: true };
}

function newGroup(key: string, root: string, folder: vscode.WorkspaceFolder | undefined): FileGroup {
  const g: FileGroup = {
    key, root, files: new Map(), gitFindings: [], history: undefined, gitAges: new Map(), fileConfig: {},
    kindHints: new Map(), hintsFresh: false, hintsComputed: false, consumers: new Map(),
  };
  if (folder) {
    g.folder = folder;
    g.history = { folder, status: 'not-run' };
  }
  return g;
}

function relativePath(group: FileGroup, file: string): string {
  const rel = path.relative(group.root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : path.basename(file);
}

function toDiskState(r: ReadResult): DiskState {
  return r.ok ? { text: r.text, mtimeMs: r.mtimeMs, mode: r.mode } : { error: { reason: r.reason, message: r.message } };
}

async function statOf(file: string): Promise<DiskState> {
  try {
    const st = await fs.stat(file);
    return { mtimeMs: st.mtimeMs, mode: st.mode };
  } catch {
    return {};
  }
}

async function readFileConfig(group: FileGroup, logger: Logger): Promise<DetectConfig> {
  const loaded = await loadDetectConfig(group.root);
  if (loaded.error) logger.debug(`.rekey.json: ${loaded.error}`);
  return loaded.config;
}

function sameHints(a: ReadonlyMap<string, { kind: string; detail: string }>, b: ReadonlyMap<string, { kind: string; detail: string }>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k)?.kind !== v.kind) return false;
  return true;
}

/**
 * Git findings were computed from the text at the last git pass; while the file is edited,
 * findings about a key follow that key (the last definition, which dotenv uses) and disappear
 * with it. File-level findings stay at the top.
 */
function anchorGitFindings(findings: Finding[], entries: EnvEntry[] | undefined): Finding[] {
  if (findings.length === 0) return findings;
  const last = new Map<string, EnvEntry>();
  for (const e of entries ?? []) last.set(e.key, e);
  const out: Finding[] = [];
  for (const f of findings) {
    if (!GIT_RULES.has(f.rule) || f.key === undefined || f.rule !== 'leaked-in-history') {
      out.push(f);
      continue;
    }
    const e = last.get(f.key);
    if (e) out.push({ ...f, range: e.keyRange });
  }
  return out;
}
