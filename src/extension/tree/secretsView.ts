import * as vscode from 'vscode';
import type { WorkspaceModel } from '../model/types';
import { countAttention } from '../../core/analysis/secretStatus';
import type { SecretStatus } from './secretStatus';
import { SecretsTreeProvider, statusIcon, type SecretNode, type SecretsFilter, type SecretsNode, type SecretsSort } from './secretsTreeProvider';

export const SECRETS_VIEW_ID = 'rekey.secrets';
export const SECRETS_CONTAINER_ID = 'rekey';
/** Context keys the manifest's `when` clauses read. */
export const CONTEXT_HAS_ENV_FILES = 'rekey.hasEnvFiles';
export const CONTEXT_FILTER = 'rekey.secretsFilter';
export const CONTEXT_SORT = 'rekey.secretsSort';

/** A tree node as tests see it: what is on screen, never a value. */
export interface TreeNodeDescription {
  id: string;
  type: SecretsNode['type'];
  label: string;
  description?: string;
  /** The tooltip's Markdown source. */
  tooltip?: string;
  contextValue?: string;
  /** ThemeIcon id and ThemeColor id. */
  icon?: string;
  color?: string;
  collapsible: boolean;
  /** File nodes and secret nodes. */
  uri?: string;
  key?: string;
  status?: SecretStatus;
  ageDays?: number;
}

/** What the Secrets view exposes through the extension API (integration tests). */
export interface SecretsViewApi {
  /** Children of the root, or of the node with this id. */
  getChildren(parent?: string | TreeNodeDescription): Promise<TreeNodeDescription[]>;
  /** Every node, depth first. */
  describeAll(): Promise<TreeNodeDescription[]>;
  readonly badge: vscode.ViewBadge | undefined;
  readonly message: string | undefined;
  readonly filter: SecretsFilter;
  readonly sort: SecretsSort;
  /** Resolves once the model is idle and the view has taken its changes in. */
  whenIdle(): Promise<void>;
}

/**
 * Owns the Secrets tree view: its provider, badge, message and context keys, refreshed from the
 * workspace model's change events.
 */
export class SecretsViewController implements vscode.Disposable, SecretsViewApi {
  readonly provider: SecretsTreeProvider;
  readonly view: vscode.TreeView<SecretsNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Set once the model's first discovery is over: only then may "no .env files" be said (welcome view). */
  private discovered = false;
  /** Fires after the view has taken a model change in (status bar, tests). */
  readonly onDidUpdate = this.changeEmitter.event;

  constructor(private readonly model: WorkspaceModel) {
    this.provider = new SecretsTreeProvider(model);
    this.view = vscode.window.createTreeView(SECRETS_VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true });
    this.disposables.push(
      this.provider,
      this.view,
      this.changeEmitter,
      model.onDidChange((uris) => this.refresh(uris)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh(undefined)),
    );
    void vscode.commands.executeCommand('setContext', CONTEXT_FILTER, this.provider.filter);
    void vscode.commands.executeCommand('setContext', CONTEXT_SORT, this.provider.sort);
    this.refresh(undefined);
    // Asked after activate() has started the model (a microtask later), so it waits for discovery.
    void Promise.resolve()
      .then(() => model.whenIdle())
      .then(() => {
        this.discovered = true;
        this.refresh(undefined);
      });
  }

  /** Re-renders from the model: only `uris` when given (their analysis changed), else everything. */
  refresh(uris: readonly vscode.Uri[] | undefined): void {
    this.provider.update(uris);
    this.updateChrome();
    this.changeEmitter.fire();
  }

  private updateChrome(): void {
    const summaries = this.provider.allSummaries().filter((s) => !s.suppressed);
    // The same set the status bar and the files' "needs attention" count: one number everywhere.
    const attention = countAttention(summaries);
    this.view.badge = attention > 0 ? { value: attention, tooltip: `${attention} secret${attention === 1 ? ' needs' : 's need'} attention (leaked, changed, overdue or due soon)` } : undefined;
    // Live `.env` files: a workspace with only `.env.example` gets the welcome view's "create .env".
    const files = this.model.files().filter((f) => f.role === 'env');
    if (files.length > 0 || this.discovered) void vscode.commands.executeCommand('setContext', CONTEXT_HAS_ENV_FILES, files.length > 0);
    // A filtered view says so, with the way back, so hidden secrets are never mistaken for none.
    if (this.provider.filter === 'attention') {
      const total = this.provider.allSummaries().length;
      this.view.message = attention === 0
        ? `No secret needs attention right now (${total} hidden by the filter). Show All Secrets clears it.`
        : `Showing ${attention} of ${total} secrets: those needing attention. Show All Secrets clears the filter.`;
      this.view.description = `filtered: ${attention} of ${total}`;
    } else {
      this.view.message = undefined;
      this.view.description = undefined;
    }
  }

  setFilter(filter: SecretsFilter): void {
    this.provider.setFilter(filter);
    void vscode.commands.executeCommand('setContext', CONTEXT_FILTER, filter);
    this.updateChrome();
  }

  setSort(sort: SecretsSort): void {
    this.provider.setSort(sort);
    void vscode.commands.executeCommand('setContext', CONTEXT_SORT, sort);
  }

  /** The selected secret, for commands run from the view's toolbar or the palette. */
  selectedSecret(): SecretNode | undefined {
    const node = this.view.selection[0];
    return node?.type === 'secret' ? node : undefined;
  }

  /** Selects and reveals a secret in the view (after a rotation, from an editor). */
  async reveal(uri: vscode.Uri, key: string): Promise<void> {
    const file = this.provider.getChildren().flatMap((n) => (n.type === 'folder' ? this.provider.getChildren(n) : [n]));
    const node = file.filter((f) => f.type === 'file' && f.uri.toString() === uri.toString()).flatMap((f) => this.provider.getChildren(f)).find((s) => s.type === 'secret' && s.key === key);
    if (node && this.view.visible) await this.view.reveal(node, { select: true, focus: false });
  }

  // ---- SecretsViewApi

  get badge(): vscode.ViewBadge | undefined {
    return this.view.badge;
  }

  get message(): string | undefined {
    return this.view.message;
  }

  get filter(): SecretsFilter {
    return this.provider.filter;
  }

  get sort(): SecretsSort {
    return this.provider.sort;
  }

  async whenIdle(): Promise<void> {
    await this.model.whenIdle();
  }

  getChildren(parent?: string | TreeNodeDescription): Promise<TreeNodeDescription[]> {
    const id = typeof parent === 'string' ? parent : parent?.id;
    const node = id === undefined ? undefined : this.findNode(id);
    if (id !== undefined && !node) return Promise.resolve([]);
    return Promise.resolve(this.provider.getChildren(node).map((n) => this.describe(n)));
  }

  async describeAll(): Promise<TreeNodeDescription[]> {
    const out: TreeNodeDescription[] = [];
    const walk = async (parent?: TreeNodeDescription): Promise<void> => {
      for (const child of await this.getChildren(parent)) {
        out.push(child);
        if (child.collapsible) await walk(child);
      }
    };
    await walk();
    return out;
  }

  private findNode(id: string): SecretsNode | undefined {
    const stack: SecretsNode[] = [...this.provider.getChildren()];
    while (stack.length > 0) {
      const n = stack.pop() as SecretsNode;
      if (n.id === id) return n;
      for (const c of this.provider.getChildren(n)) stack.push(c);
    }
    return undefined;
  }

  private describe(node: SecretsNode): TreeNodeDescription {
    const item = this.provider.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip;
    const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath : undefined;
    const out: TreeNodeDescription = {
      id: node.id,
      type: node.type,
      label,
      collapsible: item.collapsibleState !== undefined && item.collapsibleState !== vscode.TreeItemCollapsibleState.None,
      ...(typeof item.description === 'string' ? { description: item.description } : {}),
      ...(tooltip !== undefined ? { tooltip } : {}),
      ...(item.contextValue !== undefined ? { contextValue: item.contextValue } : {}),
      ...(icon ? { icon: icon.id } : {}),
    };
    if (node.type === 'file') out.uri = node.uri.toString();
    if (node.type === 'secret') {
      out.uri = node.uri.toString();
      out.key = node.key;
      out.status = node.summary.status;
      if (node.summary.age?.ageDays !== undefined) out.ageDays = node.summary.age.ageDays;
      const { icon: id, color } = statusIcon(node.summary);
      out.icon = id;
      out.color = color;
    }
    return out;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
