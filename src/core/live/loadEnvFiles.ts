import * as path from 'node:path';
import { parseEnv } from '../env/parse';
import { DEFAULT_MAX_BYTES, readEnvFile } from '../fs/readTextFile';
import type { LinkSearchFile } from '../rotation/linked';
import { classifyEnvFileName } from '../workspace/envFileNames';
import { findEnvFiles } from '../workspace/findEnvFiles';

/**
 * Reads the `.env`-family files live checks look at: `files` when given, else every one under
 * `root`. Unreadable files are reported in `problems` (value-free) and left out.
 */
export async function loadEnvFiles(root: string, files?: readonly string[], signal?: AbortSignal): Promise<{ files: LinkSearchFile[]; problems: string[] }> {
  const paths = files && files.length > 0 ? files.map((f) => path.resolve(root, f)) : await findEnvFiles(root, signal ? { signal } : {});
  const out: LinkSearchFile[] = [];
  const problems: string[] = [];
  for (const p of paths) {
    const r = await readEnvFile(p, DEFAULT_MAX_BYTES);
    if (!r.ok) {
      problems.push(`${p}: ${r.message}`);
      continue;
    }
    const explicit = files && files.length > 0;
    const role = classifyEnvFileName(p) ?? 'env';
    // A file named explicitly is checked whatever its name says.
    out.push({ path: p, role: explicit ? 'env' : role, text: r.text, parsed: parseEnv(r.text) });
  }
  return { files: out, problems };
}
