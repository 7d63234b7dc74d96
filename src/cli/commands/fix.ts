import * as path from 'node:path';
import { AtomicWriteError } from '../../core/fs/atomicWrite';
import { DEFAULT_MAX_BYTES } from '../../core/fs/readTextFile';
import { FixFileError, fixEnvFile } from '../../core/fix/fixFile';
import { positiveInt, UsageError, type CliCommand } from '../command';
import { displayPath } from '../paths';

export const fixCommand: CliCommand = {
  name: 'fix',
  summary: 'Fix lint problems of .env files (spacing, quoting, duplicates, line ends), keeping every value',
  usage: `rekey fix FILE... [--dry-run] [--change-meaning] [--max-bytes N]

Rewrites each FILE with every automatic fix: spaces around =, trailing whitespace, CRLF line
ends, a byte order mark, a missing final newline, unquoted values with spaces, KEY: value
separators, and earlier definitions of a duplicated key (dotenv uses the last one). Afterwards
dotenv reads exactly the same keys and values; a fix that would not is skipped.

--change-meaning also applies the fixes that change what dotenv reads on purpose: quoting a
value so a # in it is kept, and upper-casing lowercase keys (code reading them must change too).

Before writing, FILE is copied to FILE.before-fix (mode 600; -2, -3... if taken); the write is
atomic, keeps the file's mode, and is abandoned if the file changes meanwhile. Values are never
printed. --dry-run lists what would change without writing. Exit code 1 when --dry-run finds
something to fix, so CI can use it as a check.`,
  options: {
    'dry-run': { type: 'boolean' },
    'change-meaning': { type: 'boolean' },
    'max-bytes': { type: 'string' },
  },
  async run(values, positionals, io) {
    if (positionals.length === 0) throw new UsageError('fix: expected at least one FILE');
    const dryRun = values['dry-run'] === true;
    const maxBytes = positiveInt(values['max-bytes'], 'max-bytes', DEFAULT_MAX_BYTES);
    let failed = false;
    let pending = false;
    for (const p of positionals) {
      const abs = path.resolve(io.cwd, p);
      const shown = displayPath(abs, io.cwd);
      try {
        const r = await fixEnvFile(abs, { dryRun, maxBytes, includeMeaningChanges: values['change-meaning'] === true });
        if (r.applied.length === 0) {
          io.stdout(`${shown}: nothing to fix${r.remaining ? ` (${r.remaining} problem${r.remaining === 1 ? '' : 's'} need a manual edit; see rekey parse)` : ''}.\n`);
          continue;
        }
        pending = true;
        io.stdout(`${shown}: ${dryRun ? 'would apply' : 'applied'} ${r.applied.length} fix${r.applied.length === 1 ? '' : 'es'}\n`);
        for (const a of r.applied) io.stdout(`  ${a.code}: ${a.title}\n`);
        if (r.savedAs) io.stdout(`  The previous file was saved as ${displayPath(r.savedAs, io.cwd)} (mode 600).\n`);
        if (r.remaining) io.stdout(`  ${r.remaining} problem${r.remaining === 1 ? '' : 's'} left that need a manual edit (rekey parse ${shown}).\n`);
      } catch (err) {
        if (err instanceof FixFileError || err instanceof AtomicWriteError) {
          io.stderr(`rekey: fix: ${shown}: ${err.message}\n`);
          failed = true;
          continue;
        }
        throw err;
      }
    }
    if (failed) return 2;
    return dryRun && pending ? 1 : 0;
  },
};
