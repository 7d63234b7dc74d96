import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SKIPPED_DIRS } from '../../core/workspace/envFileNames';
import { ENV_FAMILY_GLOB, EXCLUDE_GLOB, isAnalysable, SOURCE_GLOB } from './discovery';
import { GIT_DEBOUNCE_MS } from './repositoryWatcher';
import type { EnvWorkspaceModel } from './workspaceModel';

/** Wait after source-file changes before re-reading kind hints from the code. */
const HINTS_DEBOUNCE_MS = 2000;
/** Most created paths collected before the next look; a burst beyond it is a dependency install. */
const MAX_CREATED_PATHS = 500;

/**
 * Turns VS Code's events (documents, files on disk, folders, settings, trust) into the model's
 * requests: which group to analyse, which kind of pass, after how long. Returns the
 * subscriptions, which the model disposes.
 */
export function subscribeModelEvents(model: EnvWorkspaceModel): vscode.Disposable[] {
  const events = new ModelEvents(model);
  const ws = vscode.workspace;
  const out: vscode.Disposable[] = [
    ws.onDidOpenTextDocument((d) => model.openedDocument(d)),
    ws.onDidChangeTextDocument((e) => events.onEdit(e)),
    ws.onDidSaveTextDocument((d) => events.onSave(d)),
    ws.onDidCloseTextDocument((d) => events.onClose(d)),
    ws.onDidChangeWorkspaceFolders((e) => events.onFolders(e)),
    ws.onDidChangeConfiguration((e) => events.onConfiguration(e)),
    ws.onDidGrantWorkspaceTrust(() => events.onTrustGranted()),
  ];
  const envWatcher = ws.createFileSystemWatcher(ENV_FAMILY_GLOB);
  out.push(
    envWatcher,
    envWatcher.onDidCreate((u) => events.onDiskChange(u, 'created')),
    envWatcher.onDidChange((u) => events.onDiskChange(u, 'changed')),
    envWatcher.onDidDelete((u) => events.onDiskChange(u, 'deleted')),
  );
  // Deleting or moving a folder reports the folder only: follow it to the files inside.
  const anyWatcher = ws.createFileSystemWatcher('**/*', false, true, false);
  out.push(anyWatcher, anyWatcher.onDidDelete((u) => events.onPathDeleted(u)), anyWatcher.onDidCreate((u) => events.onPathCreated(u)));
  const configWatcher = ws.createFileSystemWatcher('**/{.rekey.json,.gitignore}');
  const onConfigFile = (u: vscode.Uri) => events.onConfigFile(u);
  out.push(configWatcher, configWatcher.onDidCreate(onConfigFile), configWatcher.onDidChange(onConfigFile), configWatcher.onDidDelete(onConfigFile));
  const sourceWatcher = ws.createFileSystemWatcher(SOURCE_GLOB);
  const onSource = (u: vscode.Uri) => events.onSourceChange(u);
  out.push(sourceWatcher, sourceWatcher.onDidCreate(onSource), sourceWatcher.onDidChange(onSource), sourceWatcher.onDidDelete(onSource));
  return out;
}

class ModelEvents {
  private readonly createdPaths = new Set<string>();

  constructor(private readonly model: EnvWorkspaceModel) {}

  onEdit(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const group = this.model.registry.groupOfTracked(e.document.uri);
    if (!group) return;
    this.model.passes.noteEdit(group);
    this.model.passes.schedule(group, 'fast', this.model.settingsOf(e.document.uri).settings.debounceMs, 'edit');
  }

  onSave(doc: vscode.TextDocument): void {
    const { registry, passes } = this.model;
    const group = registry.groupOfTracked(doc.uri);
    if (!group) return;
    const file = registry.tracked(doc.uri);
    if (file) file.diskStale = true;
    passes.recordOnNext(group);
    passes.schedule(group, 'fast', 0, 'save');
    passes.scheduleGit(group, 500, 'save');
  }

  onClose(doc: vscode.TextDocument): void {
    const { registry, passes } = this.model;
    const group = registry.groupOfTracked(doc.uri);
    if (!group) return;
    if (!group.folder) {
      // A file from outside the workspace is followed only while it is open.
      registry.untrack(group, doc.uri);
      this.model.fire([doc.uri]);
      return;
    }
    // Unsaved edits are gone: the analysis goes back to what is on disk.
    const file = registry.tracked(doc.uri);
    if (file) file.diskStale = true;
    passes.schedule(group, 'fast', 0, 'close');
  }

  onDiskChange(uri: vscode.Uri, what: 'created' | 'changed' | 'deleted'): void {
    const { registry, passes } = this.model;
    this.model.logger.trace(`${what}: ${uri.fsPath}`);
    if (!isAnalysable(uri)) return;
    if (what === 'deleted') {
      const group = registry.groupOfTracked(uri);
      if (!group) return;
      registry.untrack(group, uri);
      this.model.fire([uri]);
      passes.schedule(group, 'fast', 0, 'deleted');
      passes.scheduleGit(group, GIT_DEBOUNCE_MS, 'file deleted');
      return;
    }
    const existing = registry.tracked(uri);
    const group = existing ? registry.groupOfTracked(uri) : registry.ensureTracked(uri, true);
    if (!group) return;
    if (existing) existing.diskStale = true;
    passes.schedule(group, 'fast', 0, `file ${what}`);
    passes.scheduleGit(group, GIT_DEBOUNCE_MS, `file ${what}`);
  }

  onPathDeleted(uri: vscode.Uri): void {
    this.model.logger.trace(`deleted: ${uri.fsPath}`);
    if (uri.scheme !== 'file' || isAnalysable(uri)) return;
    for (const { group, gone } of this.model.registry.untrackUnder(uri.fsPath)) {
      this.model.fire(gone.map((f) => f.uri));
      this.model.passes.schedule(group, 'fast', 0, 'folder deleted');
      this.model.passes.scheduleGit(group, GIT_DEBOUNCE_MS, 'folder deleted');
    }
  }

  /** A folder created or moved in may hold `.env` files no event named: look into new folders. */
  onPathCreated(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || isAnalysable(uri) || this.createdPaths.size > MAX_CREATED_PATHS) return;
    // Dependency installs create thousands of folders there; no .env of the project lives in them.
    if (uri.fsPath.split(path.sep).some((part) => SKIPPED_DIRS.has(part))) return;
    this.createdPaths.add(uri.fsPath);
    // Collected for 300 ms from the first event, not pushed back by each later one.
    const { scheduler } = this.model;
    if (scheduler.isPending('created')) return;
    scheduler.debounce('created', 300, () => {
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
      for (const u of found) if (isAnalysable(u) && !this.model.registry.tracked(u)) this.onDiskChange(u, 'created');
    }
  }

  onConfigFile(uri: vscode.Uri): void {
    const group = this.model.registry.groupOfFolder(uri);
    if (!group) return;
    if (path.basename(uri.fsPath) === '.rekey.json') {
      this.model.passes.schedule(group, 'fast', 0, '.rekey.json changed');
      this.model.passes.scheduleGit(group, GIT_DEBOUNCE_MS, '.rekey.json changed');
    } else {
      this.model.passes.scheduleGit(group, 300, '.gitignore changed');
    }
  }

  onSourceChange(uri: vscode.Uri): void {
    const group = this.model.registry.groupOfFolder(uri);
    if (!group) return;
    this.model.hints.invalidate(group.key);
    this.model.passes.schedule(group, 'hints', HINTS_DEBOUNCE_MS, 'source changed');
  }

  onFolders(e: vscode.WorkspaceFoldersChangeEvent): void {
    for (const f of e.removed) this.model.removeFolder(f);
    for (const f of e.added) {
      void this.model.scheduler.track(
        'discovery',
        this.model.discoverFolder(f).catch((err: unknown) => this.model.logger.error(`discovery of ${f.name} failed: ${(err as Error).message}`)),
      );
    }
  }

  onConfiguration(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration('rekey')) return;
    for (const g of this.model.registry.all()) {
      const scope = g.folder ?? undefined;
      const affects = (s: string) => e.affectsConfiguration(s, scope);
      if (affects('rekey.maxFileSizeKB')) for (const f of g.files.values()) f.diskStale = true;
      if (affects('rekey.backups') || affects('rekey.kinds') || affects('rekey.intervals') || affects('rekey.notSecret') || affects('rekey.rotation') || affects('rekey.maxFileSizeKB')) {
        this.model.passes.schedule(g, 'fast', 0, 'settings changed');
      }
      if (affects('rekey.history') || affects('rekey.kinds') || affects('rekey.notSecret') || affects('rekey.backups')) {
        this.model.passes.scheduleGit(g, 0, 'settings changed');
      }
    }
  }

  onTrustGranted(): void {
    this.model.logger.info('workspace trusted: git checks are on');
    for (const g of this.model.registry.all()) {
      this.model.passes.schedule(g, 'hints', 0, 'trust granted');
      this.model.passes.scheduleGit(g, 0, 'trust granted');
    }
  }
}
