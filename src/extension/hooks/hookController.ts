import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hookStatus, installHooks, locateHooks, type HookStatus, type InstallOptions, type InstallResult } from '../../core/hook/install';
import type { HookName } from '../../core/hook/report';
import { UserFacingError } from '../commands/registry';
import type { ExtensionServices } from '../services';

/** workspaceState key: repository roots whose owner said "Never for this repository". */
const NEVER_KEY = 'rekey.hooks.neverOffer';
/** How long after activation (and after the model settles) the offer is considered. */
const OFFER_DELAY_MS = 4000;

/**
 * Git hooks from VS Code: the "rekey: Install Git Hooks" command, and a one-time offer per
 * repository that has `.env` files but nothing stopping them at commit time. Everything here
 * runs git, so only in a trusted workspace (the command's `enablement` says the same).
 *
 * The hooks run the CLI bundled with this extension (`dist/cli.js`) with node from PATH, or with
 * VS Code's own runtime as node, so they keep working when VS Code is closed; they also look for
 * a newer version of the extension when this one has been updated away. Hooks whose saved CLI
 * path has gone are refreshed quietly when the repository is next checked.
 */
export class HookController implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Repositories already considered this session (offered, installed or found protected). */
  private readonly considered = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Repository root of each folder asked about (undefined: not in a work tree). */
  private readonly roots = new Map<string, Promise<string | undefined>>();
  private disposed = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly services: ExtensionServices,
  ) {
    this.disposables.push(
      services.onDidGrantTrust(() => {
        this.roots.clear();
        this.scheduleOffer();
      }),
      services.model.onDidChange(() => this.scheduleOffer()),
    );
    this.scheduleOffer();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /** The command: install both hooks in a repository of the workspace (asked when several). */
  /** **rekey: Install Git Hooks**: into the repository of `arg` (a folder URI), or of every folder. */
  async installCommand(arg?: unknown): Promise<InstallResult | undefined> {
    if (!this.services.isTrusted()) {
      throw new UserFacingError('rekey: git hooks can only be installed in a trusted workspace (installing runs git). Trust the workspace first.');
    }
    const repos = arg instanceof vscode.Uri && arg.scheme === 'file' ? [folderOf(arg.fsPath)] : await this.repositories();
    if (repos.length === 0) throw new UserFacingError('rekey: no git repository in this workspace to install hooks into.');
    let repo = repos[0] as string;
    if (repos.length > 1) {
      const picked = await this.services.prompter.pick(
        repos.map((r) => ({ id: r, label: path.basename(r), description: r })),
        'Install rekey git hooks in which repository?',
      );
      if (!picked) return undefined;
      repo = picked;
    }
    return this.install(repo, ['pre-commit', 'pre-push'], true);
  }

  private async install(repo: string, hooks: HookName[], interactive: boolean): Promise<InstallResult> {
    const result = await installHooks(repo, this.installOptions(hooks, false));
    this.considered.add(result.location.root);
    for (const a of result.actions) this.services.logger.info(`git hooks: ${a.hook} ${a.action} (${a.file})`);
    if (!interactive) return result;
    const name = path.basename(result.location.root);
    if (result.snippets.length) {
      const fw = result.snippets.map((s) => (s.framework.id === 'pre-commit' ? 'the pre-commit framework' : s.framework.id)).join(' and ');
      for (const s of result.snippets) this.services.logger.info(`git hooks: add to ${s.framework.config}:\n${s.snippet}`);
      const pick = await this.services.notifier.info(
        `rekey: ${name} uses ${fw} for its git hooks. Add rekey's check to its configuration?`,
        'Add to Configuration',
        'Show Snippet',
      );
      if (pick === 'Add to Configuration') {
        const written = await installHooks(repo, this.installOptions(hooks, true));
        const files = [...new Set(written.actions.filter((a) => a.action === 'framework-written').map((a) => path.relative(result.location.root, a.file) || a.file))];
        void this.services.notifier.info(`rekey: added the hooks to ${files.join(', ') || 'the configuration'}. rekey must be installed in the project (npm i -D rekey-cli) for them to run.`);
        return written;
      }
      if (pick === 'Show Snippet') this.services.channel.show(true);
      return result;
    }
    const installed = result.actions.filter((a) => a.action !== 'unchanged').map((a) => a.hook);
    const chained = result.actions.some((a) => a.action === 'chained');
    void this.services.notifier.info(
      installed.length
        ? `rekey: installed the ${installed.join(' and ')} hook${installed.length > 1 ? 's' : ''} in ${name}${chained ? ' (existing hooks still run first)' : ''}. Commits and pushes that would add .env secrets are now stopped.`
        : `rekey: the git hooks are already installed in ${name}.`,
    );
    return result;
  }

  private installOptions(hooks: HookName[], write: boolean): InstallOptions {
    return {
      preCommit: hooks.includes('pre-commit'),
      prePush: hooks.includes('pre-push'),
      write,
      version: String((this.context.extension.packageJSON as { version?: string }).version ?? '0.0.0'),
      ...this.cliLocation(),
    };
  }

  /** Where the hooks find this extension's CLI, even after VS Code is closed or updated. */
  private cliLocation(): { cliPath?: string; cliGlob?: string; nodePath: string; nodeIsElectron: boolean } {
    const ext = this.context.extensionPath;
    const cli = path.join(ext, 'dist', 'cli.js');
    const pkg = this.context.extension.packageJSON as { publisher?: string; name?: string };
    const folder = path.basename(ext);
    const prefix = `${pkg.publisher ?? ''}.${pkg.name ?? ''}-`.toLowerCase();
    const versioned = pkg.publisher && pkg.name && folder.toLowerCase().startsWith(prefix);
    return {
      ...(existsSync(cli) ? { cliPath: cli } : {}),
      ...(versioned ? { cliGlob: path.join(path.dirname(ext), `${folder.slice(0, prefix.length)}*`, 'dist', 'cli.js') } : {}),
      nodePath: process.execPath,
      nodeIsElectron: process.versions.electron !== undefined,
    };
  }

  private scheduleOffer(): void {
    if (this.disposed || !this.services.isTrusted()) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.offer().catch((err: unknown) => this.services.logger.debug(`git hooks: offer skipped: ${(err as Error).message}`));
    }, OFFER_DELAY_MS);
  }

  /** Offers the hooks once per repository that has `.env` files and no rekey check at commit time. */
  private async offer(): Promise<void> {
    if (!this.services.isTrusted()) return;
    const enabled = this.services.settings().offerHookInstall;
    const never = new Set(this.context.workspaceState.get<string[]>(NEVER_KEY, []));
    for (const repo of await this.repositories(true)) {
      if (this.disposed || this.considered.has(repo)) continue;
      this.considered.add(repo);
      let status: HookStatus;
      try {
        status = await hookStatus(repo);
      } catch (err) {
        this.services.logger.debug(`git hooks: ${repo}: ${(err as Error).message}`);
        continue;
      }
      // A rekey hook whose CLI has gone (the extension was updated): refresh it quietly.
      const stale = status.hooks.filter((h) => h.state === 'rekey' && h.cliExists === false).map((h) => h.hook);
      if (stale.length) {
        await this.install(repo, stale, false).catch((err: unknown) => this.services.logger.warn(`git hooks: could not refresh ${repo}: ${(err as Error).message}`));
      }
      if (status.protectedOnCommit || !enabled || never.has(repo)) continue;
      const pick = await this.services.notifier.info(
        `rekey: ${path.basename(repo)} has .env files but nothing stops them (or their values) from being committed. Install rekey's git hooks?`,
        'Install',
        'Not now',
        'Never for this repository',
      );
      if (pick === 'Install') {
        await this.install(repo, ['pre-commit', 'pre-push'], true).catch((err: unknown) => this.services.notifier.error(`rekey: could not install the git hooks: ${(err as Error).message}`));
      } else if (pick === 'Never for this repository') {
        never.add(repo);
        await this.context.workspaceState.update(NEVER_KEY, [...never]);
      }
    }
  }

  /**
   * Repository roots of the workspace: those holding its `.env` files, or (for the command) its
   * folders. Resolved with git, so only called in a trusted workspace.
   */
  private async repositories(withEnvFilesOnly = false): Promise<string[]> {
    const dirs = new Set<string>();
    for (const f of this.services.model.files()) if (f.uri.scheme === 'file' && f.role !== 'template') dirs.add(path.dirname(f.uri.fsPath));
    if (!withEnvFilesOnly) for (const folder of vscode.workspace.workspaceFolders ?? []) if (folder.uri.scheme === 'file') dirs.add(folder.uri.fsPath);
    const roots = new Set<string>();
    for (const dir of dirs) {
      let root = this.roots.get(dir);
      if (!root) {
        root = locateHooks(dir).then((loc) => (loc.bare ? undefined : loc.root), () => undefined);
        this.roots.set(dir, root);
      }
      const r = await root;
      if (r) roots.add(r);
    }
    return [...roots].sort();
  }
}

/** `p` itself when it is a folder, else the folder holding it. */
function folderOf(p: string): string {
  try {
    return statSync(p).isDirectory() ? p : path.dirname(p);
  } catch {
    return path.dirname(p);
  }
}
