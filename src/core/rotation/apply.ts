import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AtomicWriteError, backupFile, CHANGED_CODE, writeFileAtomic } from '../fs/atomicWrite';
import { silentLogger, type Logger } from '../log';
import { RotationError } from './errors';
import { BACKUP_SUFFIX, type RotationPlan } from './plan';
import { computeFileChanges, readBackMismatch, rotationChoices, type RotationEditOptions } from './rotationEdits';
import { isIgnoredByGit } from '../workspace/workspaceFiles';
import { rekeyBackupHeader } from '../env/rekeyBackupHeader';
import { RESTORE_BACKUP_SUFFIX } from '../backup/restore';

export { computeRotationEdits, type FileRotationEdits, type RotationTextEdit, type RotationEditOptions } from './rotationEdits';

/** The rotation ledger, as `src/core/age/ledger.ts` `Ledger` provides it. */
export interface RotationRecorder {
  fingerprint(value: string): string | undefined;
  recordRotation(file: string, key: string, fp: string, date: Date): Promise<void>;
}

export interface ApplyOptions extends RotationEditOptions {
  /** Whether git may run (checking that backups are ignored). Default false: `.gitignore` files are read instead. */
  trusted?: boolean;
  /** Records the rotation (the age ledger). Failures become warnings. */
  ledger?: RotationRecorder;
  /**
   * Writes a file's new text; default `writeFileAtomic` (temp file, fsync, rename, mode kept),
   * which checks under the file's lock, just before the rename, that the file still holds
   * `expected` (the text the rotation was computed from). Tests inject faults here.
   */
  writeFile?: (file: string, text: string, expected: string) => Promise<void>;
  /** Called with each file's text as read back after writing; returning a string fails the check. For tests. */
  verifyHook?: (file: string, textOnDisk: string) => string | undefined;
  logger?: Logger;
}

export interface ApplyResult {
  key: string;
  file: string;
  mode: 'replace' | 'add-new';
  newKey?: string;
  keptPrevious?: string;
  /** Every file written, with its backup. */
  files: Array<{ file: string; backup: string; keys: string[] }>;
  /** Backup of the main file. */
  backup: string;
  /** `.gitignore` files that got a line so the backups are ignored. */
  gitignoreUpdated: string[];
  date: string;
  /** Value-free notes (ledger not recorded, backup not ignored...). */
  warnings: string[];
}

/** The line rekey adds to `.gitignore`: covers every backup it makes, `-2`, `-3`... included. */
export const BACKUP_IGNORE_LINE = `*${BACKUP_SUFFIX}*`;

/** The line rekey adds to `.gitignore` for the copies `rekey restore` keeps. */
export const RESTORE_IGNORE_LINE = `*${RESTORE_BACKUP_SUFFIX}*`;

/**
 * Makes sure git ignores `backup`, adding `line` (default {@link BACKUP_IGNORE_LINE}) to the
 * `.gitignore` beside it if needed. Shared by `rekey rotate`, `rekey restore` and the editor's
 * Rotate Secret. Returns the `.gitignore` changed, and a warning when a rule still re-includes
 * the backup.
 */
export async function ensureBackupIgnored(backup: string, trusted: boolean, logger: Logger, line: string = BACKUP_IGNORE_LINE): Promise<{ updated?: string; warning?: string }> {
  const state = await isIgnoredByGit(backup, { trusted });
  if (state !== false) return {};
  const gitignore = path.join(path.dirname(backup), '.gitignore');
  let text = '';
  try {
    text = await fs.readFile(gitignore, 'utf8');
  } catch {
    // No .gitignore yet: create it.
  }
  if (!text.split(/\r?\n/).includes(line)) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const sep = text === '' || text.endsWith('\n') ? '' : eol;
    await writeFileAtomic(gitignore, `${text}${sep}# rekey: backups made before changing secrets hold the old values${eol}${line}${eol}`, text === '' ? { mode: 0o644 } : { expected: text });
    logger.info(`added ${line} to ${gitignore}`);
  }
  const after = await isIgnoredByGit(backup, { trusted });
  return {
    updated: gitignore,
    ...(after === false ? { warning: `${backup} is still not ignored by git (a rule re-includes it); do not commit it` } : {}),
  };
}

async function restoreAll(backups: Array<{ file: string; backup: string; oldText: string; newText: string }>): Promise<string[]> {
  const restored: string[] = [];
  for (const b of backups) {
    try {
      // Only over rekey's own text: an edit made since then is kept, not overwritten.
      await writeFileAtomic(b.file, b.oldText, { expected: b.newText });
      restored.push(b.file);
    } catch {
      // Reported below through the missing entry in `restored`.
    }
  }
  return restored;
}

/**
 * Applies a plan: backs up every file it will change (`<name>.before-secret-rotation`, mode 0600,
 * made ignored by git), writes the new value and the linked rewrites atomically per file, marks
 * each rewritten entry `# rotated: YYYY-MM-DD`, then re-reads every file and checks that dotenv
 * reads exactly the planned values. On any mismatch or write failure, every file is restored from
 * its backup and a `RotationError` is thrown. Records the rotation in the ledger when given one.
 * @throws RotationError `blocked`, `file-changed` (the file differs from the plan's snapshot),
 * `write-failed` or `verification-failed`.
 */
export async function applyRotation(plan: RotationPlan, options: ApplyOptions = {}): Promise<ApplyResult> {
  const logger = options.logger ?? silentLogger;
  const choices = rotationChoices(plan, options);
  const changes = computeFileChanges(plan, options);
  const warnings: string[] = [];

  for (const c of changes) {
    let onDisk: string;
    try {
      onDisk = await fs.readFile(c.file, 'utf8');
    } catch (err) {
      throw new RotationError(`cannot read ${c.file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'file-unreadable');
    }
    if (onDisk !== c.oldText) throw new RotationError(`${c.file} changed since the rotation was planned; plan it again (save the file first in an editor)`, 'file-changed');
  }

  // 1. Backups, before anything changes: exactly the text the rotation was computed from (the
  // write below refuses to replace anything else), headed by a comment saying that rekey made it.
  const backups: Array<{ file: string; backup: string; keys: string[] }> = [];
  const undo: Array<{ file: string; backup: string; oldText: string; newText: string }> = [];
  const gitignoreUpdated: string[] = [];
  const when = options.now ?? new Date();
  try {
    for (const c of changes) {
      const base = c.file === plan.file ? plan.backupPath : c.file + BACKUP_SUFFIX;
      const header = rekeyBackupHeader({ keys: c.changedKeys, date: when, eol: c.oldText.includes('\r\n') ? '\r\n' : '\n' });
      const backup = await backupFile(c.file, base, { mode: 0o600, content: c.oldText, header });
      await fs.chmod(backup, 0o600);
      backups.push({ file: c.file, backup, keys: c.changedKeys });
      undo.push({ file: c.file, backup, oldText: c.oldText, newText: c.newText });
      const ig = await ensureBackupIgnored(backup, options.trusted === true, logger);
      if (ig.updated && !gitignoreUpdated.includes(ig.updated)) gitignoreUpdated.push(ig.updated);
      if (ig.warning) warnings.push(ig.warning);
    }
  } catch (err) {
    throw new RotationError(`could not write the backup (${(err as Error).message}); nothing was changed`, 'write-failed');
  }

  // 2. The new texts, one atomic replacement per file.
  const write = options.writeFile ?? ((file: string, text: string, expected: string) => writeFileAtomic(file, text, { expected }));
  const written: string[] = [];
  try {
    for (const c of changes) {
      await write(c.file, c.newText, c.oldText);
      written.push(c.file);
    }
  } catch (err) {
    const restored = await restoreAll(undo.filter((b) => written.includes(b.file)));
    const failed = path.basename(changes[written.length]?.file ?? plan.file);
    const undone = written.length === 0 ? 'no file was changed' : restored.length === written.length ? 'the files already written were restored' : 'restore the files already written from their backups';
    if (err instanceof AtomicWriteError && err.code === CHANGED_CODE) {
      throw new RotationError(`${failed} was changed by another program while rotating; rekey kept that version and wrote nothing to it (${undone}); the backup holds the text before the rotation. Plan the rotation again.`, 'file-changed', restored);
    }
    throw new RotationError(`could not write ${failed} (${(err as Error).message}); ${undone}`, 'write-failed', restored);
  }

  // 3. Read back what is on disk and check it with the dotenv-exact parser.
  const readBack = await Promise.all(changes.map((c) => fs.readFile(c.file, 'utf8').catch(() => undefined)));
  for (const [i, c] of changes.entries()) {
    // An unreadable file fails the check below like a wrong one.
    const text = readBack[i] ?? '';
    const problem = options.verifyHook?.(c.file, text) ?? readBackMismatch(text, c.expected);
    if (problem) {
      // Restore over what was read back (not over the planned text, which is not what is there).
      const restored = await restoreAll(undo.map((u, j) => ({ ...u, newText: readBack[j] ?? u.newText })));
      throw new RotationError(
        `after writing, dotenv does not read back the planned values from ${path.basename(c.file)} (${problem}); ${restored.length === backups.length ? 'every file was restored from its backup' : 'restore from the backup by hand'}`,
        'verification-failed',
        restored,
      );
    }
  }

  // 4. The ledger: the new value's fingerprint and today's date, never the value.
  if (options.ledger && choices.mode === 'replace' && plan.newValue !== undefined) {
    for (const c of changes) {
      for (const k of c.changedKeys) {
        if (k === choices.keepPrevious) continue;
        const value = c.expected.get(k);
        if (value === undefined) continue;
        // URL entries are fingerprinted whole, as the ledger sees every entry.
        const fp = options.ledger.fingerprint(value);
        if (!fp) continue;
        try {
          await options.ledger.recordRotation(c.file, k, fp, when);
        } catch (err) {
          warnings.push(`the rotation of ${k} was not recorded in the ledger (${(err as Error).message}); the # rotated annotation still dates it`);
        }
      }
    }
  }

  const main = backups.find((b) => b.file === plan.file);
  return {
    key: plan.key,
    file: plan.file,
    mode: choices.mode,
    ...(choices.newKey ? { newKey: choices.newKey } : {}),
    ...(choices.keepPrevious ? { keptPrevious: choices.keepPrevious } : {}),
    files: backups,
    backup: main?.backup ?? plan.backupPath,
    gitignoreUpdated,
    date: choices.date,
    warnings,
  };
}
