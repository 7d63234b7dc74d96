import * as path from 'node:path';
import { findRekeyBackups, retireBackup, RetireError, type RekeyBackup } from '../../core/backup/retire';
import { Ledger } from '../../core/age/ledger';
import { stateDir } from '../../core/state/stateDir';
import { UsageError, type CliIo, type CliCommand } from '../command';
import { displayPath } from '../paths';

export const retireCommand: CliCommand = {
  name: 'retire',
  summary: 'Delete the backups rekey made before a rotation or restore, once the new value works everywhere',
  usage: `rekey retire [BACKUP...] [--all] [--root DIR]

The last step of a rotation: planned, applied (rekey keeps the old values in a backup such as
.env.before-secret-rotation), verified (the new value works everywhere), retired (that backup is
deleted, so the old secret no longer sits on disk).
  rekey retire              list the backups rekey made under DIR (default: the current folder)
  rekey retire BACKUP...    delete these backups
  rekey retire --all        delete every backup rekey made under DIR
Only backups whose first line says rekey made them are deleted; your own backups never are.
Retiring a rotation's backup records the rotation as "retired" in the ledger (\`rekey ages\`).
Exit code: 0 on success, 2 when a named file is not a backup rekey made.`,
  options: {
    all: { type: 'boolean' },
    root: { type: 'string' },
  },
  async run(values, positionals, io) {
    const root = path.resolve(io.cwd, typeof values.root === 'string' ? values.root : '.');
    const line = (b: RekeyBackup): string => `${displayPath(b.path, io.cwd)}: ${b.info.action === 'rotating' ? 'rotation' : 'restore'} of ${b.info.keys.join(', ')} on ${b.info.date.slice(0, 10)}`;
    if (positionals.length > 0 && values.all === true) throw new UsageError('retire: give BACKUP paths or --all, not both');
    if (positionals.length === 0) {
      const found = await findRekeyBackups(root);
      if (values.all !== true) {
        if (found.length === 0) {
          io.stdout('No backups made by rekey here: nothing to retire.\n');
          return 0;
        }
        io.stdout(`Backups rekey made (delete each once the new value works everywhere):\n${found.map((b) => `  ${line(b)}`).join('\n')}\nRetire with: rekey retire BACKUP... (or --all)\n`);
        return 0;
      }
      const options = await retireOptions(io);
      for (const b of found) {
        warnLedger(io, await retireBackup(b.path, options));
        io.stdout(`Retired ${line(b)}.\n`);
      }
      if (found.length === 0) io.stdout('No backups made by rekey here: nothing to retire.\n');
      return 0;
    }
    let code = 0;
    const options = await retireOptions(io);
    for (const p of positionals) {
      try {
        const b = await retireBackup(path.resolve(io.cwd, p), options);
        warnLedger(io, b);
        io.stdout(`Retired ${line(b)}.\n`);
      } catch (err) {
        if (!(err instanceof RetireError) && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        io.stderr(`rekey: retire: ${err instanceof RetireError ? err.message.replace(path.resolve(io.cwd, p), p) : `${p}: not found`}\n`);
        code = 2;
      }
    }
    return code;
  },
};

/** The shared ledger, to record the retirement; retiring still works when it cannot be opened. */
async function retireOptions(io: CliIo): Promise<{ ledger?: Ledger }> {
  try {
    return { ledger: await Ledger.open(stateDir(io.env)) };
  } catch (err) {
    io.stderr(`rekey: warning: the retirement will not be recorded in the ledger: ${(err as Error).message}\n`);
    return {};
  }
}

function warnLedger(io: CliIo, b: { ledgerError?: string }): void {
  if (b.ledgerError) io.stderr(`rekey: warning: the retirement was not recorded in the ledger: ${b.ledgerError}\n`);
}
