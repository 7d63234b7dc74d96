import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Repository root (this file lives in test/helpers). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The shared folder (house style, seeds, corpora, tools) that sits beside the repository in CI.
 * `REKEY_SHARED` overrides it for unusual checkouts.
 */
export function sharedDir(): string {
  const candidates = [process.env.REKEY_SHARED, path.resolve(REPO_ROOT, '..', 'shared'), '/work/shared'];
  for (const c of candidates) if (c && existsSync(path.join(c, 'corpus'))) return c;
  throw new Error('shared/ not found beside the repository; set REKEY_SHARED');
}

/** Every file under `dir`, recursively, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out.sort();
}
