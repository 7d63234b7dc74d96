import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { mergeDetectConfigs } from '../../core/detect/config';
import type { DetectOptions } from '../../core/detect/types';
import type { Logger } from '../../core/log';
import type { ConsumerScan } from '../../core/rotation/consumers';
import { PassScheduler } from '../../core/schedule/passScheduler';
import type { Notifier } from '../notifier';
import type { SettingsSnapshots } from '../settingsSnapshots';
import { CodeHints } from './codeHints';
import { discoverEnvFiles, isAnalysable } from './discovery';
import { EnvFileRegistry } from './envFileRegistry';
import type { FileGroup } from './fileState';
import { HistoryTracker } from './historyTracker';
import { subscribeModelEvents } from './modelEvents';
import { PassRunner } from './passRunner';
import { PassTimings, type PassTiming } from './passTimings';
import { GIT_DEBOUNCE_MS, RepositoryWatcher } from './repositoryWatcher';
import type { FileAnalysis, HistoryState, WorkspaceModel } from './types';

export type { PassTiming } from './passTimings';

export interface WorkspaceModelOptions {
  logger: Logger;
  notifier: Notifier;
  /** Folder of the fingerprint key and rotation ledger (the extension's global storage). */
  stateDir: string;
  workspaceState: vscode.Memento;
  /** Settings per workspace folder (resource-scoped settings differ between folders). */
  settings: SettingsSnapshots;
}

/**
 * The workspace model: discovers `.env`-family files per workspace folder, analyses them with
 * the core rule providers and keeps the results current. A facade over its units: the file
 * registry (`EnvFileRegistry`), the passes and their scheduling (`PassRunner` over
 * `PassScheduler`), kind hints and consumer scans (`CodeHints`), history state (`HistoryTracker`),
 * repository watching (`RepositoryWatcher`) and pass timings; `modelEvents` turns VS Code's
 * events into requests. Nothing here ever logs or returns a value outside `FileAnalysis.parsed` /
 * `secrets`, which renderers must mask.
 */
export class EnvWorkspaceModel implements WorkspaceModel {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChange = this.changeEmitter.event;

  /** Debounced, one-at-a-time passes per group and kind; what `whenIdle()` waits for. */
  readonly scheduler: PassScheduler;
  readonly registry = new EnvFileRegistry((uri) => vscode.workspace.getWorkspaceFolder(uri));
  readonly hints: CodeHints;
  readonly historyState: HistoryTracker;
  readonly passes: PassRunner;
  private readonly repositories: RepositoryWatcher;
  private readonly timings = new PassTimings();
  private readonly disposables: vscode.Disposable[] = [];
  private started = false;
  private disposed = false;

  constructor(private readonly options: WorkspaceModelOptions) {
    const { logger } = options;
    this.scheduler = new PassScheduler((id, err) => logger.error(`${id.replace('\0', ' of ')} failed: ${(err as Error).message}`));
    const trusted = () => vscode.workspace.isTrusted;
    this.hints = new CodeHints({
      logger,
      trusted,
      onHintsChanged: (key) => this.withGroup(key, (g) => this.passes.schedule(g, 'fast', 0, 'kind hints changed')),
    });
    this.historyState = new HistoryTracker({
      logger,
      onDidChange: () => this.changeEmitter.fire(undefined),
      memento: options.workspaceState,
      notifyOnce: (id, message, ...actions) => options.notifier.once(id, message, ...actions),
      manageTrust: () => void vscode.commands.executeCommand('workbench.trust.manage'),
    });
    this.repositories = new RepositoryWatcher({
      createWatcher: (base, glob) => vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(base), glob)),
      scheduler: this.scheduler,
      logger,
      debounceMs: GIT_DEBOUNCE_MS,
      onRepositoryChanged: (root) => {
        for (const g of this.registry.all()) if (this.historyState.get(g.key)?.repositories?.includes(root)) this.passes.scheduleGit(g, 0, 'git state changed');
      },
    });
    this.passes = new PassRunner({
      registry: this.registry,
      hints: this.hints,
      history: this.historyState,
      repositories: this.repositories,
      timings: this.timings,
      scheduler: this.scheduler,
      logger,
      stateDir: options.stateDir,
      settingsOf: (scope) => options.settings.of(scope),
      trusted,
      openDocument: (uri) => this.openDocument(uri),
      fire: (uris) => this.changeEmitter.fire(uris),
    });
  }

  get logger(): Logger {
    return this.options.logger;
  }

  /**
   * Starts listening and discovering. Returns at once: discovery and the first analyses run in
   * the background (activation must stay cheap).
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.disposables.push(this.changeEmitter, ...subscribeModelEvents(this));
    this.scheduler.debounce('discovery', 0, () => this.discoverAll().catch((err: unknown) => this.options.logger.error(`discovery failed: ${(err as Error).message}`)));
  }

  dispose(): void {
    this.disposed = true;
    this.scheduler.dispose();
    this.historyState.dispose();
    this.repositories.dispose();
    for (const d of this.disposables) d.dispose();
  }

  // ---- WorkspaceModel

  files(): FileAnalysis[] {
    return this.registry.analyses();
  }

  get(uri: vscode.Uri): FileAnalysis | undefined {
    return this.registry.tracked(uri)?.analysis;
  }

  async refresh(uri?: vscode.Uri): Promise<void> {
    if (uri) {
      const group = this.registry.groupOfTracked(uri);
      const file = this.registry.tracked(uri);
      if (file) file.diskStale = true;
      if (group) this.passes.schedule(group, 'fast', 0, 'refresh');
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
    const groups = this.registry.all().filter((g) => g.folder);
    let done = 0;
    for (const g of groups) {
      if (token?.isCancellationRequested) return;
      progress?.report({ message: g.folder?.name ?? path.basename(g.root), increment: 0 });
      const sub = token?.onCancellationRequested(() => this.historyState.abort(g.key));
      try {
        await this.passes.runNow(g, 'git', 'scan history', true);
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
    for (const g of this.registry.all()) if (g.folder) out.push({ ...(this.historyState.get(g.key) ?? { folder: g.folder, status: 'not-run' }) });
    return out;
  }

  whenIdle(): Promise<void> {
    return this.scheduler.whenIdle();
  }

  detectOptions(uri: vscode.Uri): DetectOptions {
    const group = this.registry.groupOfTracked(uri) ?? this.registry.groupFor(uri);
    const settingsConfig = this.options.settings.of(group?.folder?.uri ?? uri).detect;
    const out: DetectOptions = {};
    if (group) {
      out.config = mergeDetectConfigs(group.fileConfig, settingsConfig);
      out.kindHints = this.hints.hintsOf(group.key);
      const rel = path.relative(group.root, uri.fsPath);
      if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) out.relativePath = rel.split(path.sep).join('/');
    } else {
      out.config = settingsConfig;
    }
    return out;
  }

  consumersOf(uri: vscode.Uri, key: string, token?: vscode.CancellationToken): Promise<ConsumerScan | undefined> {
    const group = this.registry.groupOfTracked(uri) ?? this.registry.groupFor(uri);
    if (!group) return Promise.resolve(undefined);
    return this.hints.consumersOf(group.key, group.root, uri.fsPath, key, token);
  }

  /** Timings of the last analyses (newest last), for the API and the bench. */
  stats(): PassTiming[] {
    return this.timings.list();
  }

  // ---- used by modelEvents

  /** The settings snapshot of the folder holding `scope` (undefined: the window's). */
  settingsOf(scope: vscode.Uri | undefined): ReturnType<SettingsSnapshots['of']> {
    return this.options.settings.of(scope);
  }

  isDisposed(): boolean {
    return this.disposed;
  }

  fire(uris: vscode.Uri[] | undefined): void {
    this.changeEmitter.fire(uris);
  }

  /** A folder left the workspace: its files' analyses go. */
  removeFolder(folder: vscode.WorkspaceFolder): void {
    const g = this.registry.remove(folder.uri.toString());
    if (!g) return;
    this.historyState.forget(g.key);
    this.hints.forget(g.key);
    this.passes.forget(g.key);
    this.fire([...g.files.values()].map((t) => t.uri));
  }

  openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);
  }

  /** Marks every folder untrusted and explains why, once per workspace. */
  explainUntrusted(): void {
    this.historyState.explainUntrusted(this.registry.all().flatMap((g) => (g.folder ? [{ key: g.key, folder: g.folder }] : [])));
  }

  // ---- discovery

  async discoverAll(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    await Promise.all(folders.map((f) => this.discoverFolder(f)));
    for (const doc of vscode.workspace.textDocuments) this.openedDocument(doc);
    if (!vscode.workspace.isTrusted && this.registry.size() > 0) this.explainUntrusted();
  }

  async discoverFolder(folder: vscode.WorkspaceFolder): Promise<void> {
    const started = performance.now();
    const { uris, truncated } = await discoverEnvFiles(folder);
    if (this.disposed) return;
    const { group, gone } = this.registry.setDiscovered(folder, uris, (u) => this.openDocument(u) !== undefined);
    if (gone.length) this.fire(gone.map((f) => f.uri));
    this.options.logger.info(`${folder.name}: ${uris.length} .env-family file(s) found in ${Math.round(performance.now() - started)} ms${truncated ? ' (stopped at the limit; some files are not analysed)' : ''}`);
    this.passes.recordOnNext(group);
    this.passes.schedule(group, 'fast', 0, 'discovery');
    this.passes.scheduleGit(group, 0, 'discovery');
  }

  openedDocument(doc: vscode.TextDocument): void {
    if (!isAnalysable(doc.uri)) return;
    const group = this.registry.ensureTracked(doc.uri);
    if (group) this.passes.schedule(group, 'fast', 0, 'open');
  }

  private withGroup(key: string, fn: (g: FileGroup) => void): void {
    const g = this.registry.byKey(key);
    if (g) fn(g);
  }
}
