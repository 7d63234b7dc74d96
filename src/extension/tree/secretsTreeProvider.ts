import { rotationStageText } from '../../core/age/rotationStageText';
import * as vscode from 'vscode';
import type { FileAnalysis, WorkspaceModel } from '../model/types';
import { agePart, compareUrgency, needsAttention, STATUS_LABEL, summarizeFile, type SecretStatus, type SecretSummary } from './secretStatus';

/*
 * The Secrets view's data: workspace folder (multi-root only) → `.env`-family file → secret.
 * Node objects are kept and updated in place so VS Code can refresh one file's subtree when the
 * model reports that only that file changed; nothing here rescans: it renders the model.
 */

export type SecretsFilter = 'all' | 'attention';
export type SecretsSort = 'age' | 'name' | 'file';

export interface FolderNode {
  readonly type: 'folder';
  readonly id: string;
  folder: vscode.WorkspaceFolder;
}

export interface FileNode {
  readonly type: 'file';
  readonly id: string;
  /** Named `uri` so that commands taking `{ uri }` accept the node as is. */
  uri: vscode.Uri;
  analysis: FileAnalysis;
  secrets: SecretSummary[];
}

export interface SecretNode {
  readonly type: 'secret';
  readonly id: string;
  /** `uri` and `key`: commands taking `{ uri, key }` accept the node as is. */
  uri: vscode.Uri;
  key: string;
  summary: SecretSummary;
}

export type SecretsNode = FolderNode | FileNode | SecretNode;

/** Icon and colour per status; the colours are theme colours, so every theme gets its own. */
const STATUS_ICON: Record<SecretStatus, { icon: string; color: string }> = {
  leaked: { icon: 'flame', color: 'list.errorForeground' },
  changed: { icon: 'diff-modified', color: 'list.warningForeground' },
  overdue: { icon: 'history', color: 'list.warningForeground' },
  'due-soon': { icon: 'watch', color: 'charts.yellow' },
  ok: { icon: 'pass', color: 'charts.green' },
  unknown: { icon: 'question', color: 'disabledForeground' },
};

export function statusIcon(summary: SecretSummary): { icon: string; color: string } {
  return summary.suppressed ? { icon: 'circle-slash', color: 'disabledForeground' } : STATUS_ICON[summary.status];
}

function isShownFile(a: FileAnalysis): boolean {
  if (a.role === 'backup') return false;
  // Templates only matter when they hold something that looks secret.
  return a.role === 'env' || a.secrets.length > 0 || a.error !== undefined;
}

export class SecretsTreeProvider implements vscode.TreeDataProvider<SecretsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SecretsNode | SecretsNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly folders = new Map<string, FolderNode>();
  private readonly files = new Map<string, FileNode>();
  private readonly secrets = new Map<string, SecretNode>();
  private filterMode: SecretsFilter = 'all';
  private sortMode: SecretsSort = 'age';
  /** Whether the last rebuild showed workspace folders (multi-root). */
  private hadFolders = false;

  constructor(private readonly model: WorkspaceModel) {}

  get filter(): SecretsFilter {
    return this.filterMode;
  }

  get sort(): SecretsSort {
    return this.sortMode;
  }

  setFilter(filter: SecretsFilter): void {
    if (filter === this.filterMode) return;
    this.filterMode = filter;
    this.emitter.fire(undefined);
  }

  setSort(sort: SecretsSort): void {
    if (sort === this.sortMode) return;
    this.sortMode = sort;
    this.emitter.fire(undefined);
  }

  /**
   * Updates the nodes of the files that changed and tells VS Code about exactly those, or about
   * the whole tree when files appeared or disappeared, or when a filter may hide or show them.
   */
  update(changed: readonly vscode.Uri[] | undefined): void {
    const shown = this.model.files().filter(isShownFile);
    const known = new Set(this.files.keys());
    const sameFiles = shown.length === known.size && shown.every((a) => known.has(a.uri.toString()));
    if (!changed || !sameFiles || this.filterMode === 'attention' || this.multiRoot() !== this.hadFolders) {
      this.rebuild(shown);
      this.emitter.fire(undefined);
      return;
    }
    const nodes: SecretsNode[] = [];
    for (const uri of changed) {
      const node = this.files.get(uri.toString());
      const analysis = this.model.get(uri);
      if (!node || !analysis) continue;
      this.fillFile(node, analysis);
      nodes.push(node);
    }
    if (nodes.length > 0) this.emitter.fire(nodes);
  }

  private multiRoot(): boolean {
    return (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  }

  private rebuild(shown: FileAnalysis[]): void {
    const seen = new Set<string>();
    for (const a of shown) {
      const id = a.uri.toString();
      seen.add(id);
      let node = this.files.get(id);
      if (!node) {
        node = { type: 'file', id: `file:${id}`, uri: a.uri, analysis: a, secrets: [] };
        this.files.set(id, node);
      }
      this.fillFile(node, a);
    }
    for (const id of [...this.files.keys()]) if (!seen.has(id)) this.files.delete(id);
    for (const [id, node] of this.secrets) if (!seen.has(node.uri.toString())) this.secrets.delete(id);
    this.hadFolders = this.multiRoot();
  }

  private fillFile(node: FileNode, analysis: FileAnalysis): void {
    node.analysis = analysis;
    node.secrets = summarizeFile(analysis);
  }

  /** Every summary of every shown file (filters not applied). */
  allSummaries(): SecretSummary[] {
    if (this.files.size === 0) this.rebuild(this.model.files().filter(isShownFile));
    return [...this.files.values()].flatMap((f) => f.secrets);
  }

  fileNodes(): FileNode[] {
    return [...this.files.values()];
  }

  getChildren(element?: SecretsNode): SecretsNode[] {
    if (!element && this.files.size === 0) this.rebuild(this.model.files().filter(isShownFile));
    if (!element) {
      if (this.multiRoot()) {
        const out: FolderNode[] = [];
        for (const folder of vscode.workspace.workspaceFolders ?? []) {
          if (!this.visibleFiles().some((f) => f.analysis.folder?.uri.toString() === folder.uri.toString())) continue;
          const id = `folder:${folder.uri.toString()}`;
          let node = this.folders.get(id);
          if (!node) {
            node = { type: 'folder', id, folder };
            this.folders.set(id, node);
          }
          node.folder = folder;
          out.push(node);
        }
        return out;
      }
      return this.visibleFiles();
    }
    if (element.type === 'folder') {
      return this.visibleFiles().filter((f) => f.analysis.folder?.uri.toString() === element.folder.uri.toString());
    }
    if (element.type === 'file') return this.secretNodes(element);
    return [];
  }

  private visibleFiles(): FileNode[] {
    const list = [...this.files.values()].filter((f) => this.filterMode === 'all' || f.secrets.some((s) => !s.suppressed && needsAttention(s)) || f.analysis.error !== undefined);
    return list.sort((a, b) => label(a).localeCompare(label(b)));
  }

  private secretNodes(file: FileNode): SecretNode[] {
    let list = file.secrets;
    if (this.filterMode === 'attention') list = list.filter((s) => !s.suppressed && needsAttention(s));
    const sorted = [...list].sort(this.comparator());
    return sorted.map((summary) => {
      const id = `secret:${file.uri.toString()}#${summary.key}`;
      let node = this.secrets.get(id);
      if (!node) {
        node = { type: 'secret', id, uri: file.uri, key: summary.key, summary };
        this.secrets.set(id, node);
      }
      node.summary = summary;
      return node;
    });
  }

  private comparator(): (a: SecretSummary, b: SecretSummary) => number {
    switch (this.sortMode) {
      case 'name':
        return (a, b) => a.key.localeCompare(b.key);
      case 'file':
        return (a, b) => a.line - b.line;
      default:
        // Suppressed secrets sink to the bottom whatever their age.
        return (a, b) => Number(a.suppressed) - Number(b.suppressed) || compareUrgency(a, b);
    }
  }

  getParent(element: SecretsNode): SecretsNode | undefined {
    if (element.type === 'secret') return this.files.get(element.uri.toString());
    if (element.type === 'file' && this.multiRoot()) {
      const folder = element.analysis.folder;
      return folder ? this.folders.get(`folder:${folder.uri.toString()}`) : undefined;
    }
    return undefined;
  }

  getTreeItem(element: SecretsNode): vscode.TreeItem {
    switch (element.type) {
      case 'folder': {
        const item = new vscode.TreeItem(element.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = element.id;
        item.iconPath = vscode.ThemeIcon.Folder;
        item.resourceUri = element.folder.uri;
        item.contextValue = 'rekey.folder';
        return item;
      }
      case 'file':
        return fileItem(element, this.filterMode);
      case 'secret':
        return secretItem(element);
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

function label(f: FileNode): string {
  return f.secrets[0]?.relativePath ?? vscode.workspace.asRelativePath(f.uri, false);
}

function fileItem(node: FileNode, filter: SecretsFilter): vscode.TreeItem {
  const a = node.analysis;
  const live = node.secrets.filter((s) => !s.suppressed);
  const attention = live.filter(needsAttention).length;
  const shownCount = filter === 'attention' ? attention : node.secrets.length;
  const item = new vscode.TreeItem(label(node), shownCount > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.resourceUri = node.uri;
  if (a.error) {
    item.description = a.error;
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  } else {
    item.iconPath = vscode.ThemeIcon.File;
    const parts = [`${live.length} secret${live.length === 1 ? '' : 's'}`];
    if (attention > 0) parts.push(`${attention} need${attention === 1 ? 's' : ''} attention`);
    if (a.role === 'template') parts.push('template');
    item.description = parts.join(' · ');
  }
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escapeMd(label(node))}**`);
  if (a.role === 'template') tip.appendMarkdown(' (template)');
  tip.appendMarkdown(`\n\n${live.length} secret(s), ${attention} needing attention`);
  if (a.backups.length > 0) tip.appendMarkdown(`, ${a.backups.length} backup(s)`);
  if (a.error) tip.appendMarkdown(`\n\n$(warning) ${escapeMd(a.error)}`);
  item.tooltip = tip;
  item.contextValue = `rekey.file${a.backups.length > 0 ? ';backups' : ''}`;
  item.command = { command: 'vscode.open', title: 'Open', arguments: [node.uri] };
  return item;
}

function secretItem(node: SecretNode): vscode.TreeItem {
  const s = node.summary;
  const item = new vscode.TreeItem(s.key, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = s.description;
  const { icon, color } = statusIcon(s);
  item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
  item.tooltip = secretTooltip(s);
  item.contextValue = `rekey.secret;status=${s.status}${needsAttention(s) ? ';attention' : ''}${s.suppressed ? ';suppressed' : ''}`;
  item.command = { command: 'rekey.showInFile', title: 'Show in File', arguments: [{ uri: node.uri, key: node.key }] };
  item.accessibilityInformation = { label: `${s.key}, ${s.kindName}, ${s.ageText}, ${STATUS_LABEL[s.status]}` };
  return item;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** The details a hover gives, without the value. */
export function secretTooltip(s: SecretSummary): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMd(s.key)}** — ${escapeMd(s.kindName)} (${s.confidence} confidence)\n\n`);
  md.appendMarkdown(`$(${statusIcon(s).icon}) ${s.statuses.map((x) => STATUS_LABEL[x]).join(', ')}\n\n`);
  const age = s.age;
  md.appendMarkdown(`- Age: ${escapeMd(agePart(age) ?? 'unknown')}${age?.detail ? ` — ${escapeMd(age.detail)}` : ''}\n`);
  if (age?.rotation) md.appendMarkdown(`- Rotation: ${escapeMd(rotationStageText(age.rotation))}\n`);
  md.appendMarkdown(`- Rotation interval: ${s.intervalDays} days\n`);
  if (s.nextDue) md.appendMarkdown(`- Next due: ${s.nextDue.toISOString().slice(0, 10)}\n`);
  if (s.exposures > 0) md.appendMarkdown(`- Committed to git in ${s.exposures} commit${s.exposures === 1 ? '' : 's'}\n`);
  if (s.provider) md.appendMarkdown(`- Format: ${escapeMd(s.provider)}\n`);
  md.appendMarkdown(`- ${escapeMd(`${s.relativePath}:${s.line + 1}`)}\n`);
  const notes = s.findings.filter((f) => f.rule !== 'secret');
  if (notes.length > 0) {
    md.appendMarkdown('\n');
    for (const f of notes.slice(0, 5)) md.appendMarkdown(`- \`${f.rule}\`: ${escapeMd(f.message)}\n`);
  }
  if (s.suppressed) md.appendMarkdown('\nIgnored by a `# rekey-ignore` comment or settings.\n');
  md.appendMarkdown('\nThe value is hidden. Right-click → *Reveal Value* to show it for a moment.');
  return md;
}
