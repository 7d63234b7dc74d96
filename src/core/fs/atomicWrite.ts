import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { withFileLock } from './fileLock';
import { cleanupStaleTemps, LOCK_PREFIX, trackTemp, untrackTemp } from './tempFiles';
import { tempPathIn } from './tempNames';

/** A write that did not happen; the original file (if any) is untouched. */
export class AtomicWriteError extends Error {
  override name = 'AtomicWriteError';
  constructor(
    message: string,
    readonly file: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface WriteFileAtomicOptions {
  /**
   * Mode of the written file. Default: the existing file's mode, or 0600 for a new file
   * (everything rekey writes may hold secrets).
   */
  mode?: number;
  /**
   * Runs once the temporary file is complete and flushed, just before it replaces the target.
   * Tests use it to simulate a crash at the worst moment.
   */
  beforeRename?: (tempPath: string) => void | Promise<void>;
  /**
   * The content the caller read and based `data` on. The write then happens under the file's
   * lock, and just before the rename the file is compared (by hash) with it: if another program
   * changed it meanwhile nothing is replaced and `AtomicWriteError` with code `ECHANGED` is
   * thrown, so the other program's version is kept. `null`: the file must not exist.
   */
  expected?: string | Uint8Array | null;
}

/** `code` of the error thrown when the file changed under a write given `expected`. */
export const CHANGED_CODE = 'ECHANGED';

function hashOf(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The lock guarding writes to `target`: named like `.env*` so that the usual ignore lines cover it. */
export function writeLockPath(target: string): string {
  return path.join(path.dirname(target), `${LOCK_PREFIX}${path.basename(target)}`);
}

async function hashOnDisk(file: string): Promise<string | null> {
  try {
    return hashOf(await fs.readFile(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const RENAME_RETRIES = 10;

/**
 * Replaces `file` with `data` so that at every instant the file holds either its old content or
 * the new one, never a mix: the data goes to a temporary file in the same folder (same file
 * system, so the rename is atomic), is flushed to disk, takes the original's mode (and owner,
 * where permitted), then is renamed over the target, and the folder entry is flushed too.
 * Writes through a symbolic link to its target rather than replacing the link.
 * @throws AtomicWriteError with the failing step; the temporary file is removed.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: WriteFileAtomicOptions = {}): Promise<void> {
  const target = await resolveTarget(file);
  if (options.expected === undefined) return writeUnchecked(file, target, data, options);
  const expected = options.expected === null ? null : hashOf(options.expected);
  try {
    await withFileLock(writeLockPath(target), () => writeUnchecked(file, target, data, options, expected));
  } catch (err) {
    if (err instanceof AtomicWriteError) throw err;
    throw new AtomicWriteError(`could not write ${file}: ${(err as Error).message}; the file was left unchanged`, file, (err as NodeJS.ErrnoException).code);
  }
}

async function writeUnchecked(file: string, target: string, data: string | Uint8Array, options: WriteFileAtomicOptions, expected?: string | null): Promise<void> {
  const existing = await fs.stat(target).catch(() => undefined);
  if (existing && !existing.isFile()) throw new AtomicWriteError(`${file} is not a regular file`, file, 'EISDIR');
  const mode = options.mode ?? (existing ? existing.mode & 0o7777 : 0o600);
  const dir = path.dirname(target);
  await cleanupStaleTemps(dir);
  const temp = tempPathIn(dir);
  // A hard link to the file being replaced: a program that opened it before the rename and
  // writes after the check would write into this inode, and the check after the rename sees it.
  const previous = expected === undefined || expected === null ? undefined : `${temp}-prev`;

  let linked = false;
  let handle: fs.FileHandle | undefined;
  trackTemp(temp);
  if (previous) trackTemp(previous);
  try {
    // Private until complete, whatever the umask says.
    handle = await fs.open(temp, 'wx', 0o600);
    await handle.writeFile(data);
    if (existing && process.platform !== 'win32') await handle.chown(existing.uid, existing.gid).catch(() => undefined);
    await handle.chmod(mode);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await options.beforeRename?.(temp);
    if (expected !== undefined) {
      if (previous) linked = await fs.link(target, previous).then(() => true, () => false);
      // The last moment before the rename: compare what is there with what the caller read.
      if ((await hashOnDisk(target)) !== expected) throw changedError(file);
    }
    await renameWithRetry(temp, target);
    if (linked && (await hashOnDisk(previous as string).catch(() => expected)) !== expected) {
      // Someone wrote into the old file between the check and the rename: put their version back.
      if ((await hashOnDisk(target)) === hashOf(data)) await fs.rename(previous as string, target);
      throw changedError(file);
    }
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.unlink(temp).catch(() => undefined);
    if (err instanceof AtomicWriteError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new AtomicWriteError(`could not write ${file}: ${code ?? (err as Error).message}; the file was left unchanged`, file, code);
  } finally {
    if (previous) await fs.unlink(previous).catch(() => undefined);
    untrackTemp(temp);
    if (previous) untrackTemp(previous);
  }
  await syncDir(dir);
}

function changedError(file: string): AtomicWriteError {
  return new AtomicWriteError(`${file} was changed by another program while rekey was writing it; rekey replaced nothing, so that version is kept`, file, CHANGED_CODE);
}

export interface BackupFileOptions {
  /** Default 0600: a backup of a `.env` file holds the same secrets. */
  mode?: number;
  /** Replace an existing file at `backupPath` instead of choosing `backupPath-2`, `-3`, .... */
  overwrite?: boolean;
  /**
   * The content to keep, when the caller already read the file (the backup then holds exactly
   * what the change was computed from, even if the file changes meanwhile).
   */
  content?: string | Uint8Array;
  /** Text put before the content (a first-line comment saying who made the backup). */
  header?: string;
}

/**
 * Copies `file` to `backupPath` atomically with a private mode and returns the path written,
 * which differs from `backupPath` when that name is taken and `overwrite` is not set (an older
 * backup is never destroyed silently).
 * @throws AtomicWriteError when `file` cannot be read or the copy cannot be written.
 */
export async function backupFile(file: string, backupPath: string, options: BackupFileOptions = {}): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = options.content !== undefined ? Buffer.from(options.content) : await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AtomicWriteError(`could not read ${file} to back it up: ${code ?? 'error'}`, file, code);
  }
  if (options.header !== undefined) bytes = Buffer.concat([Buffer.from(options.header, 'utf8'), bytes]);
  if (options.overwrite) {
    await writeFileAtomic(backupPath, bytes, { mode: options.mode ?? 0o600 });
    return backupPath;
  }
  for (let n = 1; n <= 1000; n++) {
    const dest = n === 1 ? backupPath : `${backupPath}-${n}`;
    if (await exists(dest)) continue;
    try {
      // `expected: null`: never replace a backup another process created under this name meanwhile.
      await writeFileAtomic(dest, bytes, { mode: options.mode ?? 0o600, expected: null });
      return dest;
    } catch (err) {
      if (!(err instanceof AtomicWriteError && err.code === CHANGED_CODE)) throw err;
    }
  }
  throw new AtomicWriteError(`too many backups named ${backupPath}-N; remove old ones`, backupPath, 'EEXIST');
}

async function resolveTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch {
    return path.resolve(file); // does not exist yet
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

/** Windows refuses to replace a file another process holds open (antivirus, editors) for a moment. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const transient = process.platform === 'win32' && (code === 'EPERM' || code === 'EACCES' || code === 'EBUSY');
      if (!transient || attempt >= RENAME_RETRIES) throw err;
      await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
    }
  }
}

/** Makes the rename itself durable. Not possible (nor needed) on Windows. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let h: fs.FileHandle | undefined;
  try {
    h = await fs.open(dir, 'r');
    await h.sync();
  } catch {
    // Some file systems refuse fsync on folders; the data itself is already flushed.
  } finally {
    await h?.close().catch(() => undefined);
  }
}
