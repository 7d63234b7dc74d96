import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

/*
 * Names of rekey's temporary files. They may hold a whole `.env` file, so they start with `.env.`:
 * the `.env*` lines projects already have in `.gitignore` cover them. The writer's pid is part of
 * the name so that the next run can tell a killed writer's leftovers from a live one's.
 */

/** `<folder>/.env.rekey-tmp-<pid>-<random>` (and `…-prev`, a link to the file being replaced). */
export const TEMP_PREFIX = '.env.rekey-tmp-';

/** Write locks: `<folder>/.env.rekey-lock-<file name>`. */
export const LOCK_PREFIX = '.env.rekey-lock-';

/** A fresh temporary file name of this process in `dir`. */
export function tempPathIn(dir: string): string {
  return path.join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
}
