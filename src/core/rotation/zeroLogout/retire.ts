import { promises as fs } from 'node:fs';
import { parseEnv } from '../../env/parse';
import type { EnvEntry, ParsedEnv } from '../../env/types';
import { backupFile, writeFileAtomic } from '../../fs/atomicWrite';
import { LineIndex, type Range } from '../../text/lineIndex';
import { ensureBackupIgnored } from '../apply';
import { RotationError } from '../errors';
import { BACKUP_SUFFIX, isoDate } from '../plan';
import { readBackMismatch } from '../rotationEdits';
import { serializeEnvValue } from '../../env/serialize';
import { readPreviousMark, type PreviousSecretMark } from './retireAnnotation';
import { silentLogger, type Logger } from '../../log';

/*
 * Retiring the previous secret of a zero-logout rotation, once every session signed with it has
 * expired: remove the entry that keeps it (and its `# rekey-previous:` mark), or, for the Auth.js
 * layout, move the new value from `AUTH_SECRET_1` into `AUTH_SECRET` and remove `AUTH_SECRET_1`.
 * One edit list, used by `rekey retire-previous` and by the editor's quick fix.
 */

/** A previous-secret entry rekey wrote, found in a file. */
export interface PreviousSecretEntry {
  entry: EnvEntry;
  mark: PreviousSecretMark;
}

/** Every entry in `text` with a `# rekey-previous:` mark. */
export function findPreviousSecrets(text: string, parsed: ParsedEnv = parseEnv(text)): PreviousSecretEntry[] {
  const out: PreviousSecretEntry[] = [];
  for (const entry of parsed.entries) {
    const mark = readPreviousMark(text, entry);
    if (mark) out.push({ entry, mark });
  }
  return out;
}

/** Whether the mark's retire-by day has come (local calendar date). */
export function isDue(mark: PreviousSecretMark, now: Date): boolean {
  return isoDate(now) >= mark.retireBy;
}

export interface RetireEdit {
  start: number;
  end: number;
  range: Range;
  newText: string;
}

/** What retiring changes in one file. `newText` and `expected` hold secrets. */
export interface RetirePlan {
  file: string;
  key: string;
  previousKey: string;
  layout: 'remove' | 'promote';
  retireBy: string;
  due: boolean;
  edits: RetireEdit[];
  oldText: string;
  newText: string;
  expected: Map<string, string>;
}

/**
 * The edits that retire `key`'s previous secret in `text`.
 * @throws RotationError `key-not-found` when no `# rekey-previous: of=KEY` entry exists.
 */
export function planRetirement(file: string, text: string, key: string, now: Date = new Date()): RetirePlan {
  const parsed = parseEnv(text);
  const found = findPreviousSecrets(text, parsed).filter((p) => p.mark.of === key);
  const prev = found[found.length - 1];
  if (!prev) throw new RotationError(`no previous secret of ${key} in this file (rekey marks it with a "# rekey-previous: of=${key}" comment)`, 'key-not-found');
  const lines = new LineIndex(text);
  const expected = new Map<string, string>();
  for (const e of parsed.entries) expected.set(e.key, e.value);
  expected.delete(prev.entry.key);
  // From the start of the mark's line to the start of the line after the entry.
  const start = lines.offsetOfLine(prev.mark.line);
  const lastLine = lines.lineAt(prev.entry.end);
  let end = lines.lineContentEnd(lastLine);
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  // Keep the file's final newline state: removing the last entry eats the break before it instead.
  let delStart = start;
  if (end === text.length && !/\n$/.test(text.slice(start, end)) && start > 0) {
    delStart = text[start - 1] === '\n' && text[start - 2] === '\r' ? start - 2 : start - 1;
  }
  const edits: Array<{ start: number; end: number; newText: string }> = [{ start: delStart, end, newText: '' }];
  let layout: RetirePlan['layout'] = 'remove';
  if (prev.mark.promote) {
    layout = 'promote';
    let target: EnvEntry | undefined;
    for (const e of parsed.entries) if (e.key === key) target = e;
    if (!target) throw new RotationError(`${key} is not defined in this file: nothing to move ${prev.entry.key} into`, 'key-not-found');
    edits.push({ start: target.valueStart, end: target.valueEnd, newText: serializeEnvValue(prev.entry.value, target.quote) });
    expected.set(key, prev.entry.value);
  }
  edits.sort((a, b) => a.start - b.start);
  let newText = '';
  let at = 0;
  for (const e of edits) {
    newText += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  newText += text.slice(at);
  const mismatch = readBackMismatch(newText, expected);
  if (mismatch) throw new RotationError(`retiring would not read back as planned (${mismatch}); nothing was written`, 'verification-failed');
  return {
    file, key, previousKey: prev.entry.key, layout, retireBy: prev.mark.retireBy, due: isDue(prev.mark, now),
    edits: edits.map((e) => ({ ...e, range: lines.rangeOf(e.start, e.end) })), oldText: text, newText, expected,
  };
}

/**
 * Applies a retirement to disk: the file must still hold the planned text; backup first (made
 * ignored by git), one atomic write, read back with the dotenv-exact parser, restore on mismatch.
 * @returns the backup path and any value-free warnings.
 */
export async function applyRetirement(plan: RetirePlan, options: { trusted?: boolean; logger?: Logger } = {}): Promise<{ backup: string; warnings: string[] }> {
  const onDisk = await fs.readFile(plan.file, 'utf8').catch(() => undefined);
  if (onDisk !== plan.oldText) throw new RotationError(`${plan.file} changed since the retirement was planned; run it again`, 'file-changed');
  const warnings: string[] = [];
  let backup: string;
  try {
    backup = await backupFile(plan.file, plan.file + BACKUP_SUFFIX, { mode: 0o600 });
    const ig = await ensureBackupIgnored(backup, options.trusted === true, options.logger ?? silentLogger);
    if (ig.warning) warnings.push(ig.warning);
  } catch (err) {
    throw new RotationError(`could not write the backup (${(err as Error).message}); nothing was changed`, 'write-failed');
  }
  await writeFileAtomic(plan.file, plan.newText);
  const back = await fs.readFile(plan.file, 'utf8').catch(() => '');
  const problem = readBackMismatch(back, plan.expected);
  if (problem) {
    await writeFileAtomic(plan.file, await fs.readFile(backup));
    throw new RotationError(`after writing, dotenv does not read back the planned values (${problem}); restored from the backup`, 'verification-failed', [plan.file]);
  }
  return { backup, warnings };
}
