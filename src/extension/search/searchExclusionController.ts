import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';

/**
 * The `.env`-family globs rekey contributes to `search.exclude` (package.json
 * `configurationDefaults`), so a text search never lists a value in its results. Keep in sync.
 */
export const ENV_SEARCH_GLOBS = ['**/.env', '**/.env.*', '**/*.env'] as const;

const EXPLAINED_KEY = 'rekey.searchExclusionExplained';

/** Whether every `.env`-family glob is excluded from search in the effective configuration. */
export function envFilesExcludedFromSearch(scope?: vscode.ConfigurationScope): boolean {
  const exclude = vscode.workspace.getConfiguration('search', scope).get<Record<string, unknown>>('exclude') ?? {};
  return ENV_SEARCH_GLOBS.every((g) => exclude[g] === true);
}

/**
 * Owns what follows from keeping `.env` files out of Search: says so once (per user), offers
 * **rekey: Open .env File…** since Quick Open honours `search.exclude` too, and
 * **rekey: Include .env Files in Search** to turn the exclusion off in the user settings (and
 * **rekey: Exclude .env Files from Search** to turn it back on).
 */
export class SearchExclusionController implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private explaining = false;

  constructor(private readonly services: ExtensionServices) {
    const { model } = services;
    this.disposables.push(
      model.onDidChange(() => this.explainOnce()),
    );
  }

  private explainOnce(): void {
    const state = this.services.context.globalState;
    if (this.explaining || state.get<boolean>(EXPLAINED_KEY) === true) return;
    if (this.services.model.files().length === 0 || !envFilesExcludedFromSearch()) return;
    this.explaining = true;
    void state.update(EXPLAINED_KEY, true);
    void this.services.notifier
      .info('rekey keeps .env files out of Search and Quick Open so their values never appear in results. Open them from the Explorer, the Secrets view or rekey: Open .env File.', 'Open .env File…', 'Include .env in Search')
      .then((pick) => {
        if (pick === 'Open .env File…') void vscode.commands.executeCommand('rekey.openEnvFile');
        else if (pick === 'Include .env in Search') void vscode.commands.executeCommand('rekey.includeEnvInSearch');
      });
  }

  /** **rekey: Open .env File…**: a picker of the workspace's `.env` files (Quick Open hides them). */
  async openEnvFile(): Promise<boolean> {
    const files = [...this.services.model.files()].sort((a, b) => a.relativePath.localeCompare(b.relativePath));
    if (files.length === 0) {
      void this.services.notifier.info('rekey: no .env files found in this workspace.');
      return false;
    }
    const multi = new Set(files.map((f) => f.folder?.name ?? '')).size > 1;
    const id = await this.services.prompter.pick(
      files.map((f) => ({
        id: f.uri.toString(),
        label: f.relativePath,
        description: `${multi && f.folder ? `${f.folder.name} · ` : ''}${f.secrets.length} secret${f.secrets.length === 1 ? '' : 's'}`,
      })),
      'Open a .env file',
    );
    if (!id) return false;
    await vscode.window.showTextDocument(vscode.Uri.parse(id, true));
    return true;
  }

  /**
   * **rekey: Include .env Files in Search**: writes `"<glob>": false` for rekey's globs into the
   * user's `search.exclude`, keeping their other entries.
   */
  async includeInSearch(): Promise<boolean> {
    const config = vscode.workspace.getConfiguration('search');
    const user = config.inspect<Record<string, unknown>>('exclude')?.globalValue ?? {};
    const next: Record<string, unknown> = { ...user };
    for (const g of ENV_SEARCH_GLOBS) next[g] = false;
    await config.update('exclude', next, vscode.ConfigurationTarget.Global);
    this.services.logger.info('.env files are included in Search again (user setting search.exclude)');
    void this.services.notifier.info('rekey: .env files now appear in Search and Quick Open, values included. Run rekey: Exclude .env Files from Search to hide them again.');
    return true;
  }

  /**
   * **rekey: Exclude .env Files from Search**: removes the `"<glob>": false` entries from the
   * user's `search.exclude`, so the contributed default applies again. A workspace setting that
   * includes them is named, not changed: it is the workspace's choice.
   */
  async excludeFromSearch(): Promise<boolean> {
    const config = vscode.workspace.getConfiguration('search');
    const inspected = config.inspect<Record<string, unknown>>('exclude');
    const user = inspected?.globalValue;
    if (user && ENV_SEARCH_GLOBS.some((g) => g in user)) {
      const next: Record<string, unknown> = { ...user };
      for (const g of ENV_SEARCH_GLOBS) delete next[g];
      await config.update('exclude', Object.keys(next).length > 0 ? next : undefined, vscode.ConfigurationTarget.Global);
    }
    if (envFilesExcludedFromSearch()) {
      this.services.logger.info('.env files are excluded from Search again (user setting search.exclude)');
      void this.services.notifier.info('rekey: .env files are kept out of Search and Quick Open again.');
      return true;
    }
    void this.services.notifier.warn('rekey: a workspace or folder setting still includes .env files in Search (search.exclude). Remove its .env entries to hide them.');
    return false;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
