import * as path from 'node:path';
import { kindHintsForScan } from './scanKindHints';
import { detectSecrets } from './detect';
import type { DetectConfig, DetectedSecret, DetectOptions } from './types';
import type { ScanContext, ScanFile } from '../findings/scanContext';

declare module '../findings/scanContext' {
  interface ScanSettings {
    /** Detection config used as is by the age, backup and history rules (already merged with `.rekey.json`). */
    detect?: DetectConfig;
  }
}

const memo = new WeakMap<ScanContext, Map<string, Promise<DetectedSecret[]>>>();

/** Detection options for a file of a scan: the consumer scan's kind hints, user config, relative path. */
export async function detectOptionsForScan(ctx: ScanContext, file: string): Promise<DetectOptions> {
  const hints = await kindHintsForScan(ctx);
  const options: DetectOptions = { kindHints: hints };
  const config = ctx.options.settings?.detect;
  if (config) options.config = config;
  const root = ctx.roots.find((r) => file === r || file.startsWith(r + path.sep));
  if (root && root !== file) options.relativePath = path.relative(root, file).split(path.sep).join('/');
  return options;
}

function memoOf(ctx: ScanContext): Map<string, Promise<DetectedSecret[]>> {
  let byFile = memo.get(ctx);
  if (!byFile) {
    byFile = new Map();
    memo.set(ctx, byFile);
  }
  return byFile;
}

/**
 * Hands a scan the secrets of a file detected earlier with the same text, settings and kind
 * hints (the editor's fast pass keeps them per file), so the scan's rules do not detect again.
 */
export function primeSecretsForScanFile(ctx: ScanContext, file: ScanFile, secrets: DetectedSecret[]): void {
  memoOf(ctx).set(file.path, Promise.resolve(secrets));
}

/** The secrets of one scanned file (once per scan and file), with kind hints applied. */
export function secretsForScanFile(ctx: ScanContext, file: ScanFile): Promise<DetectedSecret[]> {
  const byFile = memoOf(ctx);
  let p = byFile.get(file.path);
  if (!p) {
    p = (async () => {
      if (file.text === undefined || !file.parsed) return [];
      return detectSecrets(file.parsed, file.text, await detectOptionsForScan(ctx, file.path));
    })();
    byFile.set(file.path, p);
  }
  return p;
}
