import { mergeDetectConfigs, validateDetectConfig } from '../../core/detect/config';
import type { DetectConfig } from '../../core/detect/types';
import type { ScanSettings } from '../../core/findings/scanContext';
import type { Logger } from '../../core/log';
import type { RekeySettings } from '../settings';

/** Detection config from the `rekey.kinds`, `rekey.intervals` and `rekey.notSecret` settings, validated. */
export function settingsDetectConfig(settings: RekeySettings, logger?: Logger): DetectConfig {
  const raw = { kinds: settings.kinds, intervals: settings.intervals, notSecret: settings.notSecret };
  const { config, error } = validateDetectConfig(raw, 'rekey settings');
  if (error) logger?.warn(error);
  return config;
}

export interface ScanSettingsInput {
  settings: RekeySettings;
  /** The folder's `.rekey.json` config (already read). */
  fileConfig: DetectConfig;
  /** Validated detection config from VS Code settings. */
  settingsConfig: DetectConfig;
  /** Where the fingerprint key and ledger live (the extension's global storage). */
  stateDir: string;
}

/**
 * `ScanOptions.settings` for the core rule providers, one typed slot per family: `secrets`
 * (merged by the secret rules with `.rekey.json`), `detect` (used as is by the age, backup and
 * history rules, so it gets the merged config), `backups`, `age` and `history`.
 */
export function scanSettings(input: ScanSettingsInput): ScanSettings {
  const { settings } = input;
  return {
    secrets: input.settingsConfig,
    detect: mergeDetectConfigs(input.fileConfig, input.settingsConfig),
    backups: {
      folders: settings.backupFolder.trim() ? [settings.backupFolder.trim()] : [],
      globs: settings.backupGlobs.filter((g) => typeof g === 'string' && g.trim() !== ''),
    },
    age: { dueSoonDays: settings.dueSoonDays, ledgerDir: input.stateDir, record: false },
    history: { enabled: settings.historyEnabled, allFiles: settings.historyAllFiles },
  };
}
