import { promises as fs } from 'node:fs';
import { RotationError } from '../../core/rotation/errors';
import { applyRetirement, planRetirement, type RetirePlan } from '../../core/rotation/zeroLogout/retire';
import { choice, UsageError, type CliCommand } from '../command';
import { stderrLogger } from '../logger';
import { displayPath } from '../paths';
import { resolveRotationTarget } from './rotate';

function describe(plan: RetirePlan): string {
  return plan.layout === 'promote'
    ? `moves the new value from ${plan.previousKey} into ${plan.key} and removes ${plan.previousKey}: the same secrets as before, nobody is logged out`
    : `removes ${plan.previousKey}: sessions still signed with the previous ${plan.key} are rejected after the next restart`;
}

export const retirePreviousCommand: CliCommand = {
  name: 'retire-previous',
  summary: 'Remove the previous secret a zero-logout rotation kept, once its sessions have expired',
  usage: `rekey retire-previous KEY [--file FILE] [--dry-run] [--force] [--format text|json]

Finds the entry a zero-logout \`rekey rotate KEY\` kept for sessions signed with the old value (the
one under a "# rekey-previous: of=KEY retire-by=DATE" comment) and retires it: removes it, or for
Auth.js moves the new value from AUTH_SECRET_n into AUTH_SECRET and removes AUTH_SECRET_n. Backup
first (FILE.before-secret-rotation, mode 600), one atomic write, read back with dotenv.

  --dry-run   say what would change; nothing is written
  --force     retire before the retire-by date (sessions signed with the old value are rejected)

Exit code: 0 when retired (or planned), 2 when not due without --force, nothing to retire, or on usage errors.`,
  options: {
    file: { type: 'string' },
    root: { type: 'string' },
    'dry-run': { type: 'boolean' },
    force: { type: 'boolean' },
    format: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  },
  async run(values, positionals, io) {
    const format = choice(values.format, 'format', ['text', 'json'] as const, 'text');
    if (positionals.length !== 1) throw new UsageError('retire-previous: expected exactly one KEY');
    const key = positionals[0] as string;
    const target = await resolveRotationTarget(values, io, 'retire-previous');
    const text = await fs.readFile(target.file, 'utf8');
    let plan: RetirePlan;
    try {
      plan = planRetirement(target.file, text, key, new Date());
    } catch (err) {
      if (err instanceof RotationError) throw new UsageError(`retire-previous: ${displayPath(target.file, io.cwd)}: ${err.message}`);
      throw err;
    }
    const shown = displayPath(target.file, io.cwd);
    const report = (applied?: { backup: string; warnings: string[] }): string =>
      format === 'json'
        ? JSON.stringify({
            version: 1, key, file: shown, previousKey: plan.previousKey, layout: plan.layout, retireBy: plan.retireBy, due: plan.due,
            applied: applied ? { backup: displayPath(applied.backup, io.cwd), warnings: applied.warnings } : null,
          }, null, 2)
        : [
            `Retire the previous ${key} (${shown}): ${describe(plan)}.`,
            `  retire-by: ${plan.retireBy}${plan.due ? ' (due)' : ' (not yet due)'}`,
            ...(applied ? [`  wrote ${shown}; backup ${displayPath(applied.backup, io.cwd)}`, ...applied.warnings.map((w) => `  ! ${w}`), 'Restart the app so it stops accepting the old value.'] : ['Dry run: nothing was written.']),
          ].join('\n');
    if (values['dry-run'] === true) {
      io.stdout(report() + '\n');
      return 0;
    }
    if (!plan.due && values.force !== true) {
      io.stdout(report() + '\n');
      io.stderr(`rekey: retire-previous: not due until ${plan.retireBy}: sessions signed with the old ${key} may still be in use; wait, or pass --force\n`);
      return 2;
    }
    try {
      const applied = await applyRetirement(plan, { trusted: true, logger: stderrLogger(io, values.verbose === true) });
      io.stdout(report(applied) + '\n');
      return 0;
    } catch (err) {
      if (!(err instanceof RotationError)) throw err;
      io.stderr(`rekey: retire-previous: ${err.message}\n`);
      return 2;
    }
  },
};
