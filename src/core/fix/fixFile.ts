import { backupFile, writeFileAtomic } from '../fs/atomicWrite';
import { DEFAULT_MAX_BYTES, readEnvFile } from '../fs/readTextFile';
import { fixAll, type FixAllOptions, type FixAllResult } from './fixAll';

/** Why a file could not be fixed; nothing was written. */
export class FixFileError extends Error {
  override name = 'FixFileError';
  constructor(
    message: string,
    readonly code: 'unreadable' | 'file-changed',
  ) {
    super(message);
  }
}

export interface FixFileOptions extends FixAllOptions {
  /** Compute and report only. */
  dryRun?: boolean;
  /** Where to keep a copy before writing (default `<file>.before-fix`; `-2`, `-3`... when taken). */
  backupPath?: string;
  maxBytes?: number;
}

export interface FixFileResult extends FixAllResult {
  /** The copy made before writing (absent on a dry run or when nothing changed). */
  savedAs?: string;
}

/**
 * Applies {@link fixAll} to a file on disk: reads it (UTF-8, size-capped), copies it aside with a
 * private mode, then replaces it atomically keeping its mode. If the file changed between the
 * read and the write, nothing is written.
 * @throws FixFileError or AtomicWriteError; on every failure the file is unchanged.
 */
export async function fixEnvFile(file: string, options: FixFileOptions = {}): Promise<FixFileResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const read = await readEnvFile(file, maxBytes);
  if (!read.ok) throw new FixFileError(read.message, 'unreadable');
  const result = fixAll(read.text, options);
  if (options.dryRun || result.text === read.text) return result;
  const again = await readEnvFile(file, maxBytes);
  if (!again.ok || again.text !== read.text) throw new FixFileError('the file changed while it was being fixed; nothing was written, try again', 'file-changed');
  const savedAs = await backupFile(file, options.backupPath ?? `${file}.before-fix`);
  await writeFileAtomic(file, result.text);
  return { ...result, savedAs };
}
