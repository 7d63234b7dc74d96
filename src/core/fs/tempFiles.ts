import { unlinkSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { removeStaleLock } from './fileLock';
import { LOCK_PREFIX } from './tempNames';

export { LOCK_PREFIX, TEMP_PREFIX } from './tempNames';

/*
 * rekey's temporary files. They hold a whole `.env` file while it is being replaced, so they must
 * never be committed: their names start with `.env.` so that the `.env*` lines projects already
 * have in `.gitignore` cover them. A process that is interrupted (SIGINT, SIGTERM) removes its
 * own; one that is killed outright cannot, so every write first removes those of dead processes
 * in the folder it writes to.
 */

const TEMP_NAME = /^\.env\.rekey-tmp-(\d+)-[0-9a-f]+(?:-prev)?$/;
/** The name used before: `.<name>.rekey-<pid>-<random>.tmp`. */
const OLD_TEMP_NAME = /^\..+\.rekey-(\d+)-[0-9a-f]{8}\.tmp$/;

const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function onSignal(signal: NodeJS.Signals): void {
  for (const f of live) {
    try {
      unlinkSync(f);
    } catch {
      // Already renamed into place or removed.
    }
  }
  live.clear();
  removeHandlers();
  // Die of the same signal, as the process would have without this handler.
  process.kill(process.pid, signal);
}

function removeHandlers(): void {
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

/** Remembers a temporary file to delete if the process is interrupted before it is done. */
export function trackTemp(file: string): void {
  if (live.size === 0 && SIGNALS.every((s) => !process.listeners(s).includes(onSignal))) {
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  live.add(file);
}

/** The temporary file is gone (renamed into place or removed). */
export function untrackTemp(file: string): void {
  live.delete(file);
  if (live.size === 0) removeHandlers();
}

/** No write takes this long: a temporary file older than this is a leftover whatever its pid says. */
const ABANDONED_MS = 60 * 60_000;

/**
 * Whether the process that made a temporary file (`pid`, file modified at `mtimeMs`) may still
 * be writing it. A pid in use may belong to a newer process (pids are reused): on Linux, a
 * process whose /proc entry is newer than the file cannot have made it.
 */
async function writerMayBeAlive(pid: number, mtimeMs: number): Promise<boolean> {
  if (pid === process.pid) return true;
  if (Date.now() - mtimeMs > ABANDONED_MS) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const started = process.platform === 'linux' ? await linuxStartTime(pid) : undefined;
  return started === undefined || started <= mtimeMs + 1000;
}

let bootTimeMs: number | undefined;

/**
 * When process `pid` started (ms since the epoch), from /proc: field 22 of /proc/PID/stat counts
 * clock ticks since boot (USER_HZ, 100 on every mainstream Linux), /proc/stat gives the boot time.
 */
async function linuxStartTime(pid: number): Promise<number | undefined> {
  try {
    if (bootTimeMs === undefined) {
      const m = /^btime (\d+)$/m.exec(await fs.readFile('/proc/stat', 'utf8'));
      if (!m) return undefined;
      bootTimeMs = Number(m[1]) * 1000;
    }
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? bootTimeMs + ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Deletes rekey temporary files and write locks in `dir` left by processes that no longer run
 * (killed in the middle of a write). Never throws: a leftover that cannot be removed is left for the next run.
 * @returns the files removed.
 */
export async function cleanupStaleTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (name.startsWith(LOCK_PREFIX) && !name.endsWith('.break')) {
      await removeStaleLock(path.join(dir, name));
      continue;
    }
    const m = TEMP_NAME.exec(name) ?? OLD_TEMP_NAME.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    const st = await fs.lstat(file).catch(() => undefined);
    if (!st?.isFile() || (await writerMayBeAlive(Number(m[1]), st.mtimeMs))) continue;
    if (await fs.unlink(file).then(() => true, () => false)) removed.push(file);
  }
  return removed;
}
