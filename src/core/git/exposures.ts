import { detectEntry } from '../detect/detect';
import type { DetectOptions } from '../detect/types';
import { parseEnv } from '../env/parse';
import type { Range } from '../text/lineIndex';
import type { AllFilesHit } from './allFilesScan';
import { readEnvAssignments } from './envAssignments';
import type { EnvHistory } from './envHistory';
import type { PushedOracle } from './pushed';

/** A secret in a working `.env` file, as the exposure check needs it. */
export interface CurrentSecret {
  /** Absolute path of the working file. */
  file: string;
  /** Its path relative to the repository root (`/`-separated), when inside it. */
  relPath?: string;
  key: string;
  kind: string;
  /** The value (secret: compared in memory, never reported). */
  value: string;
  /** Where the entry is in the working file. */
  range?: Range;
}

/** One place in history that holds the value. */
export interface ExposureOccurrence {
  /** Path in the commit. */
  path: string;
  /** A commit that put the value there. */
  commit: string;
  /** Its committer time, seconds. */
  time: number;
  pushed: boolean;
  /** The `.env`-family blob, when found by the env-file check. */
  blob?: string;
  /** `env-file`: an assignment in a committed `.env`-family file; `any-file`: a substring of any committed file. */
  via: 'env-file' | 'any-file';
}

/**
 * A working secret whose value was committed (`current: true`: rotate it), or whose earlier values
 * were committed at this file's path but whose current value never was (`current: false`: rotated
 * since exposure).
 */
export interface Exposure {
  file: string;
  relPath?: string;
  key: string;
  kind: string;
  range?: Range;
  current: boolean;
  /** The earliest occurrence's path, commit and time; `pushed` is true when any occurrence is. */
  path: string;
  commit: string;
  time: number;
  pushed: boolean;
  /** Every occurrence, oldest first. */
  occurrences: ExposureOccurrence[];
}

export interface ExposureOptions {
  /** Hits of the all-files scan, whose needles are the secrets' values in the order given. */
  allFilesHits?: { hits: AllFilesHit[]; times: Map<string, number> };
  /** Detection settings, to judge whether an earlier value at the same path was a secret. */
  detect?: DetectOptions;
}

/**
 * Compares each working secret with every value ever committed in a `.env`-family file (exact
 * equality with what dotenv reads, every definition of a key counting, in any file and under any
 * key name), plus, when given, the all-files substring hits. Secrets whose current value was
 * never committed but whose key held other secret-looking values in this same file's committed
 * versions come back with `current: false`.
 */
export function findExposures(history: EnvHistory, secrets: CurrentSecret[], oracle: PushedOracle, options: ExposureOptions = {}): Exposure[] {
  // Secret indexes by value, and by path then key: most lists hold one index, kept as a number.
  const byValue = new Map<string, Indexes>();
  const wantOld = new Map<string, Map<string, Indexes>>();
  secrets.forEach((s, i) => {
    if (s.value !== '') addIndex(byValue, s.value, i);
    if (!s.relPath) return;
    let byKey = wantOld.get(s.relPath);
    if (!byKey) {
      byKey = new Map();
      wantOld.set(s.relPath, byKey);
    }
    addIndex(byKey, s.key, i);
  });

  // Per secret, made on its first hit only: most secrets of a large file have none, and three
  // empty collections for each of 100k secrets would be megabytes held for nothing.
  const hits = new Map<number, Map<string, ExposureOccurrence>>();
  // The blobs holding earlier values, made into occurrences only for a secret reported as rotated.
  const oldBlobs = new Map<number, EnvHistory['blobs']>();
  const oldValues = new Map<number, Set<string>>();
  const add = (target: Map<string, ExposureOccurrence>, occ: ExposureOccurrence) => {
    const k = `${occ.commit}\0${occ.path}`;
    if (!target.has(k)) target.set(k, occ);
  };
  const hitsOf = (i: number): Map<string, ExposureOccurrence> => {
    let target = hits.get(i);
    if (!target) {
      target = new Map();
      hits.set(i, target);
    }
    return target;
  };

  for (const blob of history.blobs) {
    const text = history.texts.get(blob.blob);
    if (text === undefined) continue;
    const occurrences = (via: 'env-file') =>
      blob.commits.map((commit) => ({ path: blob.path, commit, time: history.commitTimes.get(commit) ?? 0, pushed: oracle.isPushed(commit), blob: blob.blob, via }));
    for (const a of readEnvAssignments(text)) {
      const matches = byValue.get(a.value);
      if (matches !== undefined) for (const i of indexes(matches)) for (const o of occurrences('env-file')) add(hitsOf(i), o);
      const same = wantOld.get(blob.path)?.get(a.key);
      if (same !== undefined) {
        for (const i of indexes(same)) {
          if (a.value === '' || a.value === (secrets[i] as CurrentSecret).value) continue;
          const values = oldValues.get(i);
          if (values) values.add(a.value);
          else oldValues.set(i, new Set([a.value]));
          const list = oldBlobs.get(i);
          if (!list) oldBlobs.set(i, [blob]);
          else if (list[list.length - 1] !== blob) list.push(blob);
        }
      }
    }
  }
  if (options.allFilesHits) {
    const { hits: fileHits, times } = options.allFilesHits;
    for (const h of fileHits) {
      if (h.needle < 0 || h.needle >= secrets.length) continue;
      add(hitsOf(h.needle), { path: h.path, commit: h.commit, time: times.get(h.commit) ?? 0, pushed: oracle.isPushed(h.commit), via: 'any-file' });
    }
  }

  const out: Exposure[] = [];
  secrets.forEach((s, i) => {
    const target = hits.get(i);
    if (target && target.size > 0) {
      out.push(exposure(s, true, [...target.values()]));
      return;
    }
    // Rotated since exposure: only when an earlier value really was a secret, not a placeholder.
    const values = oldValues.get(i);
    if (!values || ![...values].some((v) => looksSecret(s.key, v, options.detect))) return;
    const oldHits = new Map<string, ExposureOccurrence>();
    for (const blob of oldBlobs.get(i) ?? []) {
      for (const commit of blob.commits) add(oldHits, { path: blob.path, commit, time: history.commitTimes.get(commit) ?? 0, pushed: oracle.isPushed(commit), blob: blob.blob, via: 'env-file' });
    }
    const old = [...oldHits.values()];
    if (old.length) out.push(exposure(s, false, old));
  });
  return out;
}

/** One secret index, or several. */
type Indexes = number | number[];

function addIndex(map: Map<string, Indexes>, k: string, i: number): void {
  const had = map.get(k);
  if (had === undefined) map.set(k, i);
  else if (typeof had === 'number') map.set(k, [had, i]);
  else had.push(i);
}

function indexes(x: Indexes): readonly number[] {
  return typeof x === 'number' ? [x] : x;
}

function exposure(s: CurrentSecret, current: boolean, occurrences: ExposureOccurrence[]): Exposure {
  occurrences.sort((a, b) => a.time - b.time || (a.commit < b.commit ? -1 : a.commit > b.commit ? 1 : a.path < b.path ? -1 : 1));
  const first = occurrences[0] as ExposureOccurrence;
  const e: Exposure = {
    file: s.file, key: s.key, kind: s.kind, current,
    path: first.path, commit: first.commit, time: first.time, pushed: occurrences.some((o) => o.pushed), occurrences,
  };
  if (s.relPath !== undefined) e.relPath = s.relPath;
  if (s.range) e.range = s.range;
  return e;
}

/** Whether an earlier value of `key` would have been detected as a secret. */
function looksSecret(key: string, value: string, detect: DetectOptions | undefined): boolean {
  let line: string | undefined;
  if (!/[\n\r]/.test(value)) {
    if (!value.includes("'")) line = `${key}='${value}'`;
    else if (!value.includes('"') && !value.includes('\\')) line = `${key}="${value}"`;
  }
  if (line === undefined) return value.length >= 8;
  const parsed = parseEnv(line);
  const entry = parsed.entries[0];
  if (!entry || entry.value !== value) return value.length >= 8;
  return detectEntry(entry, line, detect ?? {}) !== undefined;
}
