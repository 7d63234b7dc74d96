import { RotationError } from '../../core/rotation/errors';
import { planRotation } from '../../core/rotation/plan';
import { UsageError, type CliCommand } from '../command';
import { stderrLogger } from '../logger';
import { kindOption, resolveRotationTarget } from './rotate';

export const runbookCommand: CliCommand = {
  name: 'runbook',
  summary: 'Print the Markdown rotation runbook for one key, filled with this workspace\'s names',
  usage: `rekey runbook KEY [--file FILE] [--kind KIND] [--root DIR]

Prints the runbook for rotating KEY in FILE (default .env) as Markdown: inventory (linked entries
and every consumer found in the workspace), rotation pattern, rollback point, steps in order,
verification, how to retire the old value and what to write down. Never contains a value.`,
  options: {
    file: { type: 'string' },
    root: { type: 'string' },
    kind: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  },
  async run(values, positionals, io) {
    if (positionals.length !== 1) throw new UsageError('runbook: expected exactly one KEY');
    const kind = kindOption(values.kind);
    const target = await resolveRotationTarget(values, io, 'runbook');
    try {
      const plan = await planRotation({
        workspaceRoot: target.root,
        file: target.file,
        key: positionals[0] as string,
        options: { trusted: true, logger: stderrLogger(io, values.verbose === true), ...(kind ? { kind } : {}) },
      });
      io.stdout(plan.runbook);
      return 0;
    } catch (err) {
      if (err instanceof RotationError) throw new UsageError(`runbook: ${err.message}`);
      throw err;
    }
  },
};
