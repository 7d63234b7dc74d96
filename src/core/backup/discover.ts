import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import picomatch from 'picomatch';
import {
  classifyEnvFileName,
  isEnvFamilyName,
  liveFileCandidatesForBackup,
  SKIPPED_DIRS,
} from '../workspace/envFileNames';
import { walkTree } from '../workspace/walk';

/*
 * Where backups of `.env`-family files are: next to the live file under a backup name
 * (`.env.backup`, `.env.prod.2026-08-01`, ...), in backup folders the user names (`backups/`,
 * `~/env-backups/myapp`, laid out flat, by date, or mirroring the workspace), and in files
 * matched by the user's globs. Each backup is paired with the live file it backs up.
 */

/** User settings (`settings.backups` of a scan, or the extension's `rekey.backups`). */
export interface BackupSettings {
  /** Extra folders holding backups: absolute, `~/...`, or relative to each scan root. */
  folders?: string[];
  /**
   * Globs (picomatch, relative to each scan root unless absolute or `~/...`) for backups. A plain
   * string pairs matches by name; `{ pattern, live }` pairs every match with the live file `live`
   * (relative to the root), for backups whose names say nothing (`secrets-2026-08-01.txt`).
   */
  globs?: Array<string | { pattern: string; live: string }>;
}

export type BackupOrigin = 'same-folder' | 'folder' | 'glob' | 'explicit';

/** A backup file and the live file it backs up (which may no longer exist). */
export interface BackupRef {
  path: string;
  livePath: string;
  origin: BackupOrigin;
}

export interface DiscoverOptions {
  signal?: AbortSignal;
  /** Files visited at most per configured folder or glob (default 5 000). */
  maxFiles?: number;
  /** For `~/...` (tests). */
  home?: string;
}

const MAX_DEPTH = 6;

/**
 * Reads backup settings from untrusted JSON, dropping what does not fit (never throws).
 */
export function readBackupSettings(raw: unknown): BackupSettings {
  const out: BackupSettings = {};
  if (typeof raw !== 'object' || raw === null) return out;
  const r = raw as Record<string, unknown>;
  if (Array.isArray(r.folders)) out.folders = r.folders.filter((f): f is string => typeof f === 'string' && f.trim() !== '');
  if (Array.isArray(r.globs)) {
    out.globs = r.globs.filter(
      (g): g is string | { pattern: string; live: string } =>
        (typeof g === 'string' && g.trim() !== '') ||
        (typeof g === 'object' && g !== null && typeof (g as { pattern?: unknown }).pattern === 'string' && typeof (g as { live?: unknown }).live === 'string'),
    );
  }
  return out;
}

/**
 * Pairs the backup-named files among `files` (absolute paths, e.g. everything `findEnvFiles`
 * returned) with their live files in the same folder. An ambiguous name (`.env.bak.prod`) goes
 * to the first candidate that is among `files` or exists on disk.
 */
export async function pairSameFolderBackups(files: readonly string[]): Promise<BackupRef[]> {
  const known = new Set(files);
  const out: BackupRef[] = [];
  for (const file of files) {
    const candidates = liveFileCandidatesForBackup(file);
    if (candidates.length === 0) continue;
    let live = candidates.find((c) => known.has(c));
    if (!live) {
      for (const c of candidates) {
        if (await isFile(c)) {
          live = c;
          break;
        }
      }
    }
    out.push({ path: file, livePath: live ?? (candidates[0] as string), origin: 'same-folder' });
  }
  return out;
}

/**
 * Every backup for a scan: same-folder ones among `files`, plus those in configured folders and
 * globs under each root. `liveFiles` are the live `.env` files the scan found; backups found by
 * folder or glob are paired with one of them (mirrored path first, then the root's file of that
 * name, then the only file of that name), or left out when none fits.
 */
export async function discoverBackups(
  roots: readonly string[],
  files: readonly string[],
  liveFiles: readonly string[],
  settings: BackupSettings = {},
  options: DiscoverOptions = {},
): Promise<BackupRef[]> {
  const home = options.home ?? os.homedir();
  const max = options.maxFiles ?? 5000;
  const rootDirs = await Promise.all(roots.map(async (r) => ((await isFile(r)) ? path.dirname(r) : path.resolve(r))));

  // First collect what the folders and globs hold, so that a backup named plainly `.env`
  // (`backups/2026-08-01/.env`) is never taken for a live file when pairing.
  const found: Array<{ file: string; root: string; base: string; origin: BackupOrigin; live?: string }> = [];
  for (const root of rootDirs) {
    for (const folder of settings.folders ?? []) {
      const abs = resolveSetting(folder, root, home);
      for (const file of await walkFiles(abs, max, options.signal)) {
        if (isEnvFamilyName(file) && classifyEnvFileName(file) !== 'template') found.push({ file, root, base: abs, origin: 'folder' });
      }
    }
    for (const g of settings.globs ?? []) {
      const pattern = typeof g === 'string' ? g : g.pattern;
      const absolute = path.isAbsolute(pattern) || pattern.startsWith('~/');
      const full = absolute ? resolveSetting(pattern, root, home).split(path.sep).join('/') : pattern;
      const scan = picomatch.scan(full);
      const base = absolute ? scan.base : path.join(root, scan.base);
      const isMatch = picomatch(full, { dot: true, windows: false });
      for (const file of await walkFiles(base, max, options.signal)) {
        const subject = absolute ? file.split(path.sep).join('/') : path.relative(root, file).split(path.sep).join('/');
        if (isMatch(subject)) found.push({ file, root, base, origin: 'glob', ...(typeof g === 'string' ? {} : { live: path.resolve(root, g.live) }) });
      }
    }
  }
  const backupFiles = new Set(found.map((f) => f.file));
  const lives = liveFiles.filter((l) => !backupFiles.has(l));
  // Configured locations decide how their files pair; name-based pairing covers the rest.
  const refs = await pairSameFolderBackups(files.filter((f) => !backupFiles.has(f)));
  const seen = new Set(refs.map((r) => r.path));
  for (const f of found) {
    if (seen.has(f.file)) continue;
    const live = f.live ?? pairByName(f.file, f.base, f.root, lives);
    if (!live || live === f.file) continue;
    seen.add(f.file);
    refs.push({ path: f.file, livePath: live, origin: f.origin });
  }
  return refs;
}

/**
 * Backups of one live file: backup-named files in its folder plus configured folders and globs
 * under `roots` (default: the file's folder). For the CLI and quick fixes, which start from a file.
 */
export async function findBackupsOf(livePath: string, settings: BackupSettings = {}, roots?: readonly string[], options: DiscoverOptions = {}): Promise<BackupRef[]> {
  const live = path.resolve(livePath);
  const dir = path.dirname(live);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const siblings = names.filter((n) => classifyEnvFileName(n) === 'backup').map((n) => path.join(dir, n));
  const refs = await discoverBackups(roots ?? [dir], siblings, [live], settings, options);
  return refs.filter((r) => r.livePath === live);
}

function resolveSetting(p: string, root: string, home: string): string {
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) return path.join(home, p.slice(1));
  return path.resolve(root, p);
}

function pairByName(file: string, folder: string, root: string, liveFiles: readonly string[]): string | undefined {
  const name = path.basename(file);
  const candidates = classifyEnvFileName(name) === 'backup' ? liveFileCandidatesForBackup(name) : [name];
  const relDir = path.relative(folder, path.dirname(file));
  for (const c of candidates) {
    const mirrored = path.join(root, relDir, c);
    if (!relDir.startsWith('..') && liveFiles.includes(mirrored)) return mirrored;
    const atRoot = path.join(root, c);
    if (liveFiles.includes(atRoot)) return atRoot;
    const same = liveFiles.filter((l) => path.basename(l) === c);
    if (same.length === 1) return same[0];
  }
  return undefined;
}

/** Regular files under `dir` (not following folder links), skipping dependency folders. */
async function walkFiles(dir: string, max: number, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  await walkTree(dir, 0, {
    folder: (_full, e, depth) => (depth < MAX_DEPTH && !SKIPPED_DIRS.has(e.name) ? depth + 1 : undefined),
    entry: async (full, e) => {
      if (e.isFile() || (e.isSymbolicLink() && (await isFile(full)))) out.push(full);
    },
    done: () => out.length >= max,
  }, signal);
  return out.sort();
}

async function isFile(p: string): Promise<boolean> {
  return fs.stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
}
