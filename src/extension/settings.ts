import * as vscode from 'vscode';
import type { KindId } from '../core/catalog/types';

/** Every rekey setting, typed, with defaults filled in. Keep in sync with package.json. */
export interface RekeySettings {
  maskEnabled: boolean;
  revealTimeoutSeconds: number;
  /** Seconds after Copy New Value until the clipboard is emptied (if it still holds the value); 0: never. */
  clipboardClearSeconds: number;
  debounceMs: number;
  maxFileSizeKB: number;
  historyEnabled: boolean;
  historyAllFiles: boolean;
  backupFolder: string;
  backupGlobs: string[];
  dueSoonDays: number;
  kinds: Record<string, KindId>;
  intervals: Record<string, number>;
  notSecret: string[];
  offerHookInstall: boolean;
  /** Diagnose code that reads a key no `.env`/template file defines. */
  reportUndefinedKeys: boolean;
}

export const SETTINGS_SECTION = 'rekey';

/** Reads settings for a resource (or the window), filling defaults. */
export function readSettings(scope?: vscode.ConfigurationScope): RekeySettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return {
    maskEnabled: c.get<boolean>('mask.enabled', true),
    revealTimeoutSeconds: Math.max(1, c.get<number>('mask.revealTimeoutSeconds', 30)),
    clipboardClearSeconds: Math.max(0, c.get<number>('clipboard.clearAfterSeconds', 30)),
    debounceMs: Math.max(0, c.get<number>('diagnostics.debounceMs', 200)),
    maxFileSizeKB: Math.max(1, c.get<number>('maxFileSizeKB', 1024)),
    historyEnabled: c.get<boolean>('history.enabled', true),
    historyAllFiles: c.get<boolean>('history.scanAllFiles', false),
    backupFolder: c.get<string>('backups.folder', ''),
    backupGlobs: c.get<string[]>('backups.globs', []),
    dueSoonDays: Math.max(0, c.get<number>('rotation.dueSoonDays', 14)),
    kinds: c.get<Record<string, KindId>>('kinds', {}),
    intervals: c.get<Record<string, number>>('intervals', {}),
    notSecret: c.get<string[]>('notSecret', []),
    offerHookInstall: c.get<boolean>('hooks.offerInstall', true),
    reportUndefinedKeys: c.get<boolean>('code.reportUndefinedKeys', false),
  };
}
