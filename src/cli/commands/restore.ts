import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { restoreKey, restoreKeyInFile, RestoreError } from '../../core/backup/restore';
import { AtomicWriteError } from '../../core/fs/atomicWrite';
import { readEnvFile } from '../../core/fs/readTextFile';
import { ensureBackupIgnored, RESTORE_IGNORE_LINE } from '../../core/rotation/apply';
import { liveFileCandidatesForBackup } from '../../core/workspace/envFileNames';
import { stderrLogger } from '../logger';
import { UsageError, type CliCommand } from '../command';
import { displayPath } from '../paths';

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'Put one key\'s value back from a backup, atomically, keeping a copy of the file it changes',
  usage: `rekey restore KEY --from BACKUP [--file FILE] [--dry-run]

Gives KEY in FILE the value it has in BACKUP. FILE defaults to the live file BACKUP backs up
(.env for .env.backup, .env.prod for .env.prod.bak), in BACKUP's folder. Only that value
changes: the entry keeps its place, export, comment and quoting; its "# rotated:" comment
becomes the backup's (or is removed), so the age shown is the restored value's own. Before
writing, FILE is copied to FILE.before-restore (mode 600; -2, -3... if taken; first line: a
comment saying rekey made it) and that copy is made git-ignored like rotation backups. The write
is atomic (temporary file, flush, rename) and checked under a lock just before the rename: if
another program changed FILE meanwhile, nothing is written and its version is kept.
Values are never printed. --dry-run says what would change without writing.`,
  options: {
    from: { type: 'string' },
    file: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run(values, positionals, io) {
    if (positionals.length !== 1) throw new UsageError('restore: expected exactly one KEY');
    const key = positionals[0] as string;
    if (typeof values.from !== 'string') throw new UsageError('restore: --from BACKUP is required');
    const backupPath = path.resolve(io.cwd, values.from);
    if (!(await isFile(backupPath))) throw new UsageError(`restore: backup not found: ${values.from}`);
    let livePath: string | undefined;
    if (typeof values.file === 'string') {
      livePath = path.resolve(io.cwd, values.file);
    } else {
      for (const c of liveFileCandidatesForBackup(backupPath)) {
        if (await isFile(c)) {
          livePath = c;
          break;
        }
      }
      if (!livePath) throw new UsageError(`restore: cannot tell which file ${values.from} backs up; pass --file FILE`);
    }
    if (path.resolve(livePath) === backupPath) throw new UsageError('restore: FILE and BACKUP are the same file');
    const shownLive = displayPath(livePath, io.cwd);
    const shownBackup = displayPath(backupPath, io.cwd);
    try {
      if (values['dry-run'] === true) {
        const [live, backup] = await Promise.all([readEnvFile(livePath), readEnvFile(backupPath)]);
        if (!backup.ok) throw new RestoreError(`cannot read the backup: ${backup.message}`, 'unreadable');
        if (!live.ok && live.reason !== 'not-found') throw new RestoreError(`cannot read ${shownLive}: ${live.message}`, 'unreadable');
        const change = restoreKey({ file: livePath, text: live.ok ? live.text : '' }, backup.text, key);
        io.stdout(`${describe(change.action, key, shownLive, shownBackup, true)}\n`);
        return 0;
      }
      const result = await restoreKeyInFile(livePath, backupPath, key);
      io.stdout(`${describe(result.change.action, key, shownLive, shownBackup, false)}\n`);
      if (result.savedAs) {
        io.stdout(`The previous ${shownLive} was saved as ${displayPath(result.savedAs, io.cwd)} (mode 600); delete it with \`rekey retire\` once the restored value works everywhere.\n`);
        // The user ran the command: git may run to check the ignore rules (safe overrides stay on).
        const ig = await ensureBackupIgnored(result.savedAs, true, stderrLogger(io, false), RESTORE_IGNORE_LINE);
        if (ig.updated) io.stdout(`Added ${RESTORE_IGNORE_LINE} to ${displayPath(ig.updated, io.cwd)} so git ignores it.\n`);
        if (ig.warning) io.stderr(`rekey: warning: ${ig.warning}\n`);
      }
      return 0;
    } catch (err) {
      if (err instanceof RestoreError || err instanceof AtomicWriteError) {
        io.stderr(`rekey: restore: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
  },
};

function describe(action: 'replaced' | 'appended' | 'unchanged', key: string, live: string, backup: string, dryRun: boolean): string {
  if (action === 'unchanged') return `${key} in ${live} already has the value it has in ${backup}; nothing to change.`;
  const verb = dryRun ? 'Would restore' : 'Restored';
  return action === 'appended' ? `${verb} ${key} from ${backup} by adding it to the end of ${live}.` : `${verb} ${key} in ${live} from ${backup}.`;
}

async function isFile(p: string): Promise<boolean> {
  return fs.stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
}
