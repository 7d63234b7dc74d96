import type { OptionsConfig } from '../command';

/*
 * Apart from hookRun.ts so the hooks' entry point (hookMain.ts) parses its arguments and starts
 * git before it loads the checks.
 */

/** The options `rekey hook run` takes (the other `hook` subcommands add theirs). */
export const HOOK_RUN_OPTIONS: OptionsConfig = {
  repo: { type: 'string' },
  'block-format-secrets': { type: 'boolean' },
  format: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
};
