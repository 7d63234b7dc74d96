import * as path from 'node:path';
import type * as vscode from 'vscode';
import { FastPassCache } from '../../core/analysis/fastPass';
import { classifyEnvFileName } from '../../core/workspace/envFileNames';
import type { FileGroup, TrackedFile } from './fileState';
import type { FileAnalysis } from './types';

/** The workspace folder that holds a URI (`vscode.workspace.getWorkspaceFolder` in the editor). */
export type FolderOf = (uri: vscode.Uri) => vscode.WorkspaceFolder | undefined;

/**
 * Which `.env`-family files rekey follows, grouped by workspace folder. Files outside every
 * folder form a loose group per directory, followed only while open. Uses no VS Code API (the
 * folder lookup is passed in), so plain mocha tests it.
 */
export class EnvFileRegistry {
  private readonly groups = new Map<string, FileGroup>();

  constructor(private readonly folderOf: FolderOf) {}

  all(): FileGroup[] {
    return [...this.groups.values()];
  }

  /** Whether `group` is still the registry's group for its key (not removed or replaced meanwhile). */
  isCurrent(group: FileGroup): boolean {
    return this.groups.get(group.key) === group;
  }

  byKey(key: string): FileGroup | undefined {
    return this.groups.get(key);
  }

  /** The group of a workspace folder, created empty on first use. */
  ensureGroup(folder: vscode.WorkspaceFolder): FileGroup {
    const key = folder.uri.toString();
    let g = this.groups.get(key);
    if (!g) {
      g = newGroup(key, folder.uri.fsPath, folder);
      this.groups.set(key, g);
    }
    return g;
  }

  /** The group of the workspace folder holding `uri`, if it has one. */
  groupOfFolder(uri: vscode.Uri): FileGroup | undefined {
    const folder = this.folderOf(uri);
    return folder ? this.groups.get(folder.uri.toString()) : undefined;
  }

  /** The group that owns `uri` (its workspace folder, or the loose group of its directory). */
  groupFor(uri: vscode.Uri): FileGroup | undefined {
    const folder = this.folderOf(uri);
    if (folder) return this.groups.get(folder.uri.toString());
    return this.groups.get(looseKey(uri));
  }

  /**
   * Adds `uri` to its group and returns the group. A file outside every folder gets a loose
   * group when opened, but is not followed from disk events (`fromDisk`).
   */
  ensureTracked(uri: vscode.Uri, fromDisk = false): FileGroup | undefined {
    const folder = this.folderOf(uri);
    let group: FileGroup;
    if (folder) {
      group = this.ensureGroup(folder);
    } else {
      if (fromDisk) return undefined;
      const key = looseKey(uri);
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

  tracked(uri: vscode.Uri): TrackedFile | undefined {
    return this.groupOfTracked(uri)?.files.get(uri.toString());
  }

  /** The group that tracks `uri` (usually its folder's; a file may have been added before its folder was). */
  groupOfTracked(uri: vscode.Uri): FileGroup | undefined {
    const key = uri.toString();
    const g = this.groupFor(uri);
    if (g?.files.has(key)) return g;
    for (const other of this.groups.values()) if (other.files.has(key)) return other;
    return undefined;
  }

  /** Stops following `uri`; a loose group left empty goes too. */
  untrack(group: FileGroup, uri: vscode.Uri): void {
    group.files.delete(uri.toString());
    if (!group.folder && group.files.size === 0) this.groups.delete(group.key);
  }

  /** Stops following every file under `dir`, in every group; returns them by group. */
  untrackUnder(dir: string): Array<{ group: FileGroup; gone: TrackedFile[] }> {
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    const out: Array<{ group: FileGroup; gone: TrackedFile[] }> = [];
    for (const g of this.groups.values()) {
      const gone = [...g.files.values()].filter((f) => f.path.startsWith(prefix));
      if (gone.length === 0) continue;
      for (const f of gone) g.files.delete(f.uri.toString());
      out.push({ group: g, gone });
    }
    return out;
  }

  /**
   * Makes the folder's files exactly `found` plus those still open (`isOpen`): returns the
   * group and the files it no longer follows.
   */
  setDiscovered(folder: vscode.WorkspaceFolder, found: readonly vscode.Uri[], isOpen: (uri: vscode.Uri) => boolean): { group: FileGroup; gone: TrackedFile[] } {
    const group = this.ensureGroup(folder);
    const seen = new Set<string>();
    for (const uri of found) {
      seen.add(uri.toString());
      if (!group.files.has(uri.toString())) group.files.set(uri.toString(), newTracked(uri));
    }
    const gone = [...group.files.values()].filter((f) => !seen.has(f.uri.toString()) && !isOpen(f.uri));
    for (const f of gone) group.files.delete(f.uri.toString());
    return { group, gone };
  }

  /** Forgets a group (its workspace folder was removed). */
  remove(key: string): FileGroup | undefined {
    const g = this.groups.get(key);
    this.groups.delete(key);
    return g;
  }

  /** Every file's latest analysis, by path. */
  analyses(): FileAnalysis[] {
    const out: FileAnalysis[] = [];
    for (const g of this.groups.values()) for (const f of g.files.values()) if (f.analysis) out.push(f.analysis);
    return out.sort((a, b) => (a.uri.fsPath < b.uri.fsPath ? -1 : a.uri.fsPath > b.uri.fsPath ? 1 : 0));
  }

  /** Files tracked across all groups. */
  size(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.files.size;
    return n;
  }
}

function looseKey(uri: vscode.Uri): string {
  return `loose:${path.dirname(uri.fsPath)}`;
}

function newTracked(uri: vscode.Uri): TrackedFile {
  return { uri, path: uri.fsPath, role: classifyEnvFileName(uri.fsPath) ?? 'env', diskStale: true };
}

function newGroup(key: string, root: string, folder: vscode.WorkspaceFolder | undefined): FileGroup {
  const g: FileGroup = { key, root, files: new Map(), gitFindings: [], gitAges: new Map(), fileConfig: {}, fastCache: new FastPassCache() };
  if (folder) g.folder = folder;
  return g;
}
