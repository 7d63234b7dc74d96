import { parseEnv } from '../env/parse';
import { DEFAULT_MAX_BYTES, readEnvFile } from '../fs/readTextFile';
import { classifyEnvFileName } from '../workspace/envFileNames';
import type { ScanFile } from './scanContext';

/** Reads and parses one file into a {@link ScanFile}; never throws. */
export async function loadScanFile(file: string, maxBytes = DEFAULT_MAX_BYTES): Promise<ScanFile> {
  const role = classifyEnvFileName(file) ?? 'env';
  const read = await readEnvFile(file, maxBytes);
  if (!read.ok) return { path: file, role, error: { reason: read.reason, message: read.message } };
  return { path: file, role, text: read.text, parsed: parseEnv(read.text), mtimeMs: read.mtimeMs, mode: read.mode };
}
