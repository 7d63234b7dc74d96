import * as vscode from 'vscode';
import type { DetectConfig } from '../core/detect/types';
import type { Logger } from '../core/log';
import { settingsDetectConfig } from './model/scanSettings';
import { readSettings, SETTINGS_SECTION, type RekeySettings } from './settings';

/** The settings of one workspace folder (or of the window), read once and kept until they change. */
export interface SettingsSnapshot {
  readonly settings: RekeySettings;
  /** `rekey.kinds`, `rekey.intervals` and `rekey.notSecret`, validated, in the `.rekey.json` shape. */
  readonly detect: DetectConfig;
}

/**
 * One settings snapshot per workspace folder. Resource-scoped settings (`rekey.kinds`,
 * `rekey.notSecret`, ...) may differ per folder of a multi-root workspace, so a snapshot is keyed
 * by the folder that holds the resource and dropped when `affectsConfiguration('rekey', folder)`
 * says that folder's view changed. Create it before the listeners that react to setting changes:
 * VS Code calls listeners in registration order, so they read fresh values.
 */
export class SettingsSnapshots implements vscode.Disposable {
  private readonly byFolder = new Map<string, { scope: vscode.Uri | undefined; snapshot: SettingsSnapshot }>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly logger?: Logger) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => this.onConfiguration(e));
  }

  /** The snapshot for `scope`: a workspace folder, a resource inside one, or the window (undefined). */
  of(scope?: vscode.ConfigurationScope): SettingsSnapshot {
    const folder = folderOf(scope);
    const key = folder?.toString() ?? '';
    let entry = this.byFolder.get(key);
    if (!entry) {
      const settings = readSettings(folder);
      entry = { scope: folder, snapshot: { settings, detect: settingsDetectConfig(settings, this.logger) } };
      this.byFolder.set(key, entry);
    }
    return entry.snapshot;
  }

  dispose(): void {
    this.subscription.dispose();
    this.byFolder.clear();
  }

  private onConfiguration(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
    for (const [key, { scope }] of this.byFolder) {
      if (scope === undefined || e.affectsConfiguration(SETTINGS_SECTION, scope)) this.byFolder.delete(key);
    }
  }
}

/** The folder URI whose settings apply to `scope` (undefined: the window's). */
function folderOf(scope: vscode.ConfigurationScope | undefined): vscode.Uri | undefined {
  if (!scope) return undefined;
  const uri = scope instanceof vscode.Uri ? scope : 'uri' in scope ? scope.uri : undefined;
  if (!uri) return undefined;
  return vscode.workspace.getWorkspaceFolder(uri)?.uri;
}
