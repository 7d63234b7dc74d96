import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAME, validateDetectConfig } from '../detect/config';
import type { DetectConfig } from '../detect/types';

/*
 * The hooks' part of `.rekey.json`:
 *
 *   { "hooks": { "blockOnFormat": true, "minValueLength": 8 } }
 *
 * next to the detection settings (`notSecret`, `kinds`, `intervals`) the hooks also honour. The
 * file is read once per hook run.
 */

/** Values shorter than this are not searched for in other files: they would match by chance. */
export const DEFAULT_MIN_VALUE_LENGTH = 8;

export interface HookSettings {
  /** Secrets recognised only by their token format block the commit (default: warn). */
  blockOnFormat: boolean;
  /** Shortest work-tree secret value searched for in staged lines. */
  minValueLength: number;
}

export interface LoadedHookConfig {
  detect: DetectConfig;
  hooks: HookSettings;
  /** One line when `.rekey.json` exists but is partly invalid (its valid parts still apply). */
  error?: string;
}

/** Reads detection and hook settings from `root/.rekey.json`; a missing file gives the defaults. */
export async function loadHookConfig(root: string): Promise<LoadedHookConfig> {
  const file = path.join(root, CONFIG_FILE_NAME);
  const hooks: HookSettings = { blockOnFormat: false, minValueLength: DEFAULT_MIN_VALUE_LENGTH };
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { detect: {}, hooks };
    return { detect: {}, hooks, error: `${file}: cannot read (${code ?? 'error'})` };
  }
  return parseHookConfig(text, file);
}

/** Parses the text of `.rekey.json`; `source` names it in errors (never its content). */
export function parseHookConfig(text: string, source: string): LoadedHookConfig {
  const hooks: HookSettings = { blockOnFormat: false, minValueLength: DEFAULT_MIN_VALUE_LENGTH };
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { detect: {}, hooks, error: `${source}: invalid JSON; hook settings use their defaults` };
  }
  const { config, error } = validateDetectConfig(raw, source);
  const problems: string[] = error ? [error] : [];
  const h = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>).hooks : undefined;
  if (h !== undefined) {
    if (typeof h !== 'object' || h === null || Array.isArray(h)) {
      problems.push(`${source}: "hooks" must be an object`);
    } else {
      const o = h as Record<string, unknown>;
      if (o.blockOnFormat !== undefined) {
        if (typeof o.blockOnFormat === 'boolean') hooks.blockOnFormat = o.blockOnFormat;
        else problems.push(`${source}: "hooks.blockOnFormat" must be true or false`);
      }
      if (o.minValueLength !== undefined) {
        if (typeof o.minValueLength === 'number' && Number.isInteger(o.minValueLength) && o.minValueLength >= 4 && o.minValueLength <= 1000) hooks.minValueLength = o.minValueLength;
        else problems.push(`${source}: "hooks.minValueLength" must be a whole number from 4 to 1000`);
      }
    }
  }
  return problems.length ? { detect: config, hooks, error: problems.join('; ') } : { detect: config, hooks };
}
