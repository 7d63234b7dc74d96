import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tempPathIn } from './tempNames';

/*
 * An advisory lock between rekey processes (the CLI, hooks and the editor may write the same
 * file at once). The lock file records the holder's pid, host and start time, so a lock left by a
 * process that was killed is recognised and broken instead of blocking every later run. It is
 * written under a temporary name first and then hard-linked to the lock name, which exactly one
 * process can win: the lock never exists without its holder, even when the holder is killed
 * mid-write. Where links are not supported, it is created with O_CREAT|O_EXCL ("wx") instead.
 */

/** The lock could not be taken in time; nothing was changed. */
export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
  constructor(readonly lockPath: string) {
    super(`another rekey process holds ${lockPath}; try again, or delete that file if no rekey process is running`);
  }
}

export interface FileLockOptions {
  /** Give up after this long (default 30 s: a save with fsync can take tens of ms and a hundred processes may queue). */
  timeoutMs?: number;
  /** A lock older than this is stale even if its holder seems alive (default 60 s; pids are reused). */
  staleMs?: number;
}

interface LockInfo {
  pid: number;
  host: string;
  at: number;
}

const EMPTY_STALE_MS = 2_000;

function holderIsGone(info: LockInfo | undefined, staleMs: number): boolean {
  if (!info) return true;
  if (Date.now() - info.at > staleMs) return true;
  // No readable holder: killed between creating the file and writing it, which takes microseconds.
  if (info.pid === -1) return Date.now() - info.at > EMPTY_STALE_MS;
  if (info.host !== os.hostname()) return false;
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function readInfo(lockPath: string): Promise<LockInfo | undefined | 'missing'> {
  let text: string;
  try {
    text = await fs.readFile(lockPath, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : undefined;
  }
  try {
    const raw = JSON.parse(text) as Partial<LockInfo>;
    if (typeof raw.pid === 'number' && typeof raw.host === 'string' && typeof raw.at === 'number') return { pid: raw.pid, host: raw.host, at: raw.at };
  } catch {
    // A holder killed between create and write leaves an empty file: judged by its age below.
  }
  const st = await fs.stat(lockPath).catch(() => undefined);
  return st ? { pid: -1, host: '', at: st.mtimeMs } : 'missing';
}

const BREAKER_STALE_MS = 5_000;

function sameHolder(a: LockInfo | undefined, b: LockInfo | undefined): boolean {
  return a !== undefined && b !== undefined && a.pid === b.pid && a.at === b.at && a.host === b.host;
}

/**
 * Removes a lock judged stale. Breakers take their own `.break` lock first, so that two of them
 * cannot both act on one stale lock (the second would remove the fresh lock of whoever took it
 * in between); under it the lock is re-read and removed only if it still is the stale one.
 */
async function breakStaleLock(lockPath: string, stale: LockInfo | undefined, staleMs: number): Promise<void> {
  const breaker = `${lockPath}.break`;
  try {
    await (await fs.open(breaker, 'wx', 0o600)).close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Breaking takes microseconds: a breaker lock this old was left by a killed process.
    const st = await fs.stat(breaker).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > BREAKER_STALE_MS) await fs.unlink(breaker).catch(() => undefined);
    return;
  }
  try {
    const now = await readInfo(lockPath);
    if (now !== 'missing' && (sameHolder(now, stale) || (stale === undefined && holderIsGone(now, staleMs)))) await fs.unlink(lockPath).catch(() => undefined);
  } finally {
    await fs.unlink(breaker).catch(() => undefined);
  }
}

/**
 * Removes `lockPath` if the process that took it is gone (killed), as the next writer would;
 * leaves a live holder's lock alone. For clean-up of folders rekey writes to.
 */
export async function removeStaleLock(lockPath: string, options: FileLockOptions = {}): Promise<void> {
  const info = await readInfo(lockPath);
  if (info !== 'missing' && holderIsGone(info, options.staleMs ?? 60_000)) await breakStaleLock(lockPath, info, options.staleMs ?? 60_000);
}

/** Link errors that mean the file system has no hard links (FAT, some network shares). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** Creates the lock file holding `content`; false when another process holds it. */
async function tryCreateLock(lockPath: string, content: string): Promise<boolean> {
  const staged = tempPathIn(path.dirname(lockPath));
  await fs.writeFile(staged, content, { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(staged, lockPath);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_LINKS.has(code)) throw err;
  } finally {
    await fs.unlink(staged).catch(() => undefined);
  }
  try {
    const h = await fs.open(lockPath, 'wx', 0o600);
    try {
      await h.writeFile(content);
    } finally {
      await h.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Runs `fn` while holding the lock file `lockPath` (created next to the resource it guards, mode
 * 0600), and always releases it. Waits with growing pauses while another live process holds it;
 * breaks a lock whose holder is dead or that is older than `staleMs`.
 * @throws LockTimeoutError after `timeoutMs`; whatever `fn` throws.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const me: LockInfo = { pid: process.pid, host: os.hostname(), at: Date.now() };
  for (let attempt = 0; ; attempt++) {
    if (await tryCreateLock(lockPath, JSON.stringify({ ...me, at: Date.now() }))) break;
    const info = await readInfo(lockPath);
    if (info !== 'missing' && holderIsGone(info, staleMs)) {
      await breakStaleLock(lockPath, info, staleMs);
      continue;
    }
    if (Date.now() > deadline) throw new LockTimeoutError(lockPath);
    await new Promise((r) => setTimeout(r, Math.min(50, 2 + attempt * 2) * (0.5 + Math.random())));
  }
  try {
    return await fn();
  } finally {
    await fs.unlink(lockPath).catch(() => undefined);
  }
}
