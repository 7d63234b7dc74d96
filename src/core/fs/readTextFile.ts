import { promises as fs } from 'node:fs';

/** Default size cap for `.env`-family files: real ones are a few KiB. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

export type ReadFailure =
  | 'not-found'
  | 'unreadable'
  | 'not-a-file'
  | 'too-large'
  | 'binary'
  | 'invalid-utf8';

export type ReadResult =
  | { ok: true; text: string; bytes: number; mtimeMs: number; mode: number }
  | { ok: false; reason: ReadFailure; message: string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes bytes as a `.env` file: UTF-8 only, refusing binary content (a NUL byte) and
 * invalid sequences rather than silently replacing them, since a value decoded wrongly
 * would be compared, masked and rewritten wrongly. The BOM is kept so offsets stay exact.
 */
export function decodeEnvBytes(bytes: Uint8Array, maxBytes = DEFAULT_MAX_BYTES): ReadResult {
  if (bytes.length > maxBytes) {
    return { ok: false, reason: 'too-large', message: `larger than the ${formatBytes(maxBytes)} limit (${formatBytes(bytes.length)}); skipped` };
  }
  if (bytes.indexOf(0) !== -1) {
    return { ok: false, reason: 'binary', message: 'binary content (NUL bytes); not a .env file, skipped' };
  }
  try {
    return { ok: true, text: decoder.decode(bytes), bytes: bytes.length, mtimeMs: 0, mode: 0 };
  } catch {
    return { ok: false, reason: 'invalid-utf8', message: 'not valid UTF-8; re-save the file as UTF-8 (skipped)' };
  }
}

/** Reads a `.env`-family file with the checks of {@link decodeEnvBytes}; never throws. */
export async function readEnvFile(path: string, maxBytes = DEFAULT_MAX_BYTES): Promise<ReadResult> {
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (err) {
    return failure(err);
  }
  if (!stat.isFile()) return { ok: false, reason: 'not-a-file', message: 'not a regular file; skipped' };
  if (stat.size > maxBytes) {
    return { ok: false, reason: 'too-large', message: `larger than the ${formatBytes(maxBytes)} limit (${formatBytes(stat.size)}); skipped` };
  }
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch (err) {
    return failure(err);
  }
  const result = decodeEnvBytes(bytes, maxBytes);
  if (result.ok) {
    result.mtimeMs = stat.mtimeMs;
    result.mode = stat.mode;
  }
  return result;
}

function failure(err: unknown): ReadResult {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { ok: false, reason: 'not-found', message: 'file not found' };
  if (code === 'EACCES' || code === 'EPERM') return { ok: false, reason: 'unreadable', message: 'permission denied; skipped' };
  if (code === 'EISDIR') return { ok: false, reason: 'not-a-file', message: 'is a directory; skipped' };
  return { ok: false, reason: 'unreadable', message: `cannot be read (${code ?? 'unknown error'}); skipped` };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}
