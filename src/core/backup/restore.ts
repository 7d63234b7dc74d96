import * as path from 'node:path';
import { parseEnv } from '../env/parse';
import type { EnvEntry, ParsedEnv } from '../env/types';
import { readRotatedAnnotation } from '../age/rotatedAnnotation';
import { AtomicWriteError, backupFile, CHANGED_CODE, writeFileAtomic } from '../fs/atomicWrite';
import { rekeyBackupHeader } from '../env/rekeyBackupHeader';
import { DEFAULT_MAX_BYTES, readEnvFile } from '../fs/readTextFile';
import { serializeEnvValue, UnwritableValueError } from '../env/serialize';

/** The backup name `restore` uses by default (made git-ignored like rotation backups). */
export const RESTORE_BACKUP_SUFFIX = '.before-restore';

/** A replacement of `[start, end)` (UTF-16 offsets into the original text) by `newText`. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** The text change that restores one key; `edits` is empty when the value is already the backup's. */
export interface RestoreChange {
  file: string;
  key: string;
  edits: TextEdit[];
  /** The whole file after the edits. Secret material: write it, never print it. */
  newText: string;
  action: 'replaced' | 'appended' | 'unchanged';
}

export type RestoreErrorCode = 'key-not-in-backup' | 'unwritable-value' | 'unreadable' | 'file-changed';

/** Restoring could not be done; the message names keys and files only. */
export class RestoreError extends Error {
  override name = 'RestoreError';
  constructor(
    message: string,
    readonly code: RestoreErrorCode,
  ) {
    super(message);
  }
}

function lastEntry(parsed: ParsedEnv, key: string): EnvEntry | undefined {
  let found: EnvEntry | undefined;
  for (const e of parsed.entries) if (e.key === key) found = e;
  return found;
}

function effectiveValues(parsed: ParsedEnv): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of parsed.entries) m.set(e.key, e.value);
  return m;
}

/**
 * The change that gives `key` in the live file the value it has in the backup. Only that value's
 * text changes: the entry keeps its place, `export`, inline comment and, where dotenv can read the
 * value back that way, its quoting; a key the live file lacks is appended with the file's line
 * ending. The result is verified by re-parsing: every other key keeps its value.
 * @throws RestoreError when the backup has no such key or the value cannot be written faithfully.
 */
export function restoreKey(live: { file: string; text: string }, backupText: string, key: string): RestoreChange {
  const backupEntry = lastEntry(parseEnv(backupText), key);
  if (!backupEntry) throw new RestoreError(`the backup does not define ${key}`, 'key-not-in-backup');
  const parsed = parseEnv(live.text);
  const liveEntry = lastEntry(parsed, key);
  const value = backupEntry.value;
  if (liveEntry && liveEntry.value === value) return { file: live.file, key, edits: [], newText: live.text, action: 'unchanged' };

  const eol = parsed.eol;
  // The backup's own source text works in cases no quoting rule can express (a value mixing
  // every quote and line breaks); its line breaks must follow the live file's.
  const backupRaw = backupEntry.rawValue.replace(/\r\n|\r|\n/g, eol);
  const raws: string[] = [];
  try {
    raws.push(serializeEnvValue(value, liveEntry?.quote ?? backupEntry.quote));
  } catch (err) {
    if (!(err instanceof UnwritableValueError)) throw err;
  }
  raws.push(backupRaw);

  const expected = effectiveValues(parsed);
  expected.set(key, value);
  const backupAnnotation = annotationLine(backupText, backupEntry);
  for (const raw of raws) {
    const edits: TextEdit[] = [];
    if (liveEntry) {
      const note = annotationEditFor(live.text, liveEntry, backupAnnotation, eol);
      if (note) edits.push(note);
      edits.push({ start: liveEntry.valueStart, end: liveEntry.valueEnd, newText: raw });
    } else {
      const needsBreak = live.text.length > 0 && !/[\r\n]$/.test(live.text);
      const note = backupAnnotation !== undefined ? `${backupAnnotation}${eol}` : '';
      edits.push({ start: live.text.length, end: live.text.length, newText: `${needsBreak ? eol : ''}${note}${backupEntry.exported ? 'export ' : ''}${key}=${raw}${eol}` });
    }
    const newText = applyEdits(live.text, edits);
    if (sameValues(effectiveValues(parseEnv(newText)), expected)) {
      return { file: live.file, key, edits, newText, action: liveEntry ? 'replaced' : 'appended' };
    }
  }
  throw new RestoreError(`the backup's value of ${key} cannot be written into ${path.basename(live.file)} so that dotenv reads it back exactly`, 'unwritable-value');
}

/** Non-overlapping edits, in order. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Start and end (before the line break) of line `line` of `text`. */
function lineBounds(text: string, line: number): { start: number; end: number; next: number } {
  let start = 0;
  for (let l = 0; l < line; l++) {
    const m = /\r\n|\r|\n/g;
    m.lastIndex = start;
    const hit = m.exec(text);
    if (!hit) return { start: text.length, end: text.length, next: text.length };
    start = hit.index + hit[0].length;
  }
  const m = /\r\n|\r|\n/g;
  m.lastIndex = start;
  const hit = m.exec(text);
  return hit ? { start, end: hit.index, next: hit.index + hit[0].length } : { start, end: text.length, next: text.length };
}

/** The `# rotated:` comment line above `entry` in `text`, as written there. */
function annotationLine(text: string, entry: EnvEntry): string | undefined {
  const a = readRotatedAnnotation(text, entry);
  if (!a) return undefined;
  const b = lineBounds(text, a.line);
  return text.slice(b.start, b.end);
}

/** The edit that makes the comment above the live entry the backup's (or removes it). */
function annotationEditFor(text: string, entry: EnvEntry, fromBackup: string | undefined, eol: string): TextEdit | undefined {
  const current = readRotatedAnnotation(text, entry);
  if (current) {
    const b = lineBounds(text, current.line);
    if (fromBackup === undefined) return { start: b.start, end: b.next, newText: '' };
    return text.slice(b.start, b.end) === fromBackup ? undefined : { start: b.start, end: b.end, newText: fromBackup };
  }
  if (fromBackup === undefined) return undefined;
  const b = lineBounds(text, entry.range.start.line);
  // Something else shares the entry's line (a dotenv corner case): leave it unannotated.
  if (!/^[ \t]*$/.test(text.slice(b.start, entry.start))) return undefined;
  return { start: b.start, end: b.start, newText: `${fromBackup}${eol}` };
}

function sameValues(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export interface RestoreInFileOptions {
  /** Where to keep a copy of the live file before changing it (default `<live>.before-restore`; `-2`, `-3`... when taken). */
  backupPath?: string;
  maxBytes?: number;
  /** Passed to the atomic writer (tests simulate a crash with it). */
  beforeRename?: (tempPath: string) => void | Promise<void>;
  /** Date written in the backup's first line (default: now). */
  now?: Date;
}

/**
 * Keeps `text` (the live file as it is before a restore of `key`) as `<live>.before-restore`
 * (`-2`, `-3`... when taken; or `options.backupPath`), mode 0600, after the first-line comment
 * that marks rekey-made backups, so the scan shows it as one restore item to retire. `rekey
 * restore` and the editor's Restore from Backup both keep this copy; the caller makes it
 * git-ignored (`ensureBackupIgnored` with `RESTORE_IGNORE_LINE`). Returns the path written.
 * @throws AtomicWriteError when the copy cannot be written.
 */
export async function saveBeforeRestore(livePath: string, text: string, key: string, options: { backupPath?: string; now?: Date } = {}): Promise<string> {
  const header = rekeyBackupHeader({ keys: [key], date: options.now ?? new Date(), action: 'restoring', eol: text.includes('\r\n') ? '\r\n' : '\n' });
  return backupFile(livePath, options.backupPath ?? `${livePath}${RESTORE_BACKUP_SUFFIX}`, { content: text, header, mode: 0o600 });
}

export interface RestoreInFileResult {
  change: RestoreChange;
  /** The copy of the live file made before writing (absent when nothing changed). */
  savedAs?: string;
}

/**
 * Restores `key` in `livePath` from `backupPath` on disk: computes {@link restoreKey}, copies the
 * live file aside (mode 0600), then replaces it atomically, keeping its mode. If the live file
 * changed since it was read, nothing is written.
 * @throws RestoreError or AtomicWriteError; in every failure the live file is unchanged.
 */
export async function restoreKeyInFile(livePath: string, backupPath: string, key: string, options: RestoreInFileOptions = {}): Promise<RestoreInFileResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const backup = await readEnvFile(backupPath, maxBytes);
  if (!backup.ok) throw new RestoreError(`cannot read the backup ${path.basename(backupPath)}: ${backup.message}`, 'unreadable');
  const live = await readEnvFile(livePath, maxBytes);
  let liveText = '';
  if (live.ok) liveText = live.text;
  else if (live.reason !== 'not-found') throw new RestoreError(`cannot read ${path.basename(livePath)}: ${live.message}`, 'unreadable');
  const change = restoreKey({ file: livePath, text: liveText }, backup.text, key);
  if (change.action === 'unchanged') return { change };

  let savedAs: string | undefined;
  if (live.ok) savedAs = await saveBeforeRestore(livePath, liveText, key, options);
  try {
    // Checked under the file's lock just before the rename: an edit made meanwhile is kept.
    await writeFileAtomic(livePath, change.newText, { expected: live.ok ? liveText : null, ...(options.beforeRename ? { beforeRename: options.beforeRename } : {}) });
  } catch (err) {
    if (err instanceof AtomicWriteError && err.code === CHANGED_CODE) throw new RestoreError(`${path.basename(livePath)} was changed by another program while restoring; nothing was written and that version is kept, try again`, 'file-changed');
    throw err;
  }
  return savedAs ? { change, savedAs } : { change };
}
