import { UsageError, parseCommandArgs, shownArg, type CliCommand, type CliIo } from './command';
import { REKEY_VERSION } from './format/findings';

/*
 * Commands load when they run: a git hook or `rekey history` evaluates only the modules of the
 * command it runs, not the rotation, live-server or report code of the others.
 */
type CommandLoader = () => CliCommand;

/** Every command by name, in the order `rekey --help` lists them. */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on demand, as in core/vendor/lazy.ts */
export const COMMAND_LOADERS: ReadonlyArray<readonly [name: string, load: CommandLoader]> = [
  ['scan', () => (require('./commands/scan') as typeof import('./commands/scan')).scanCommand],
  ['parse', () => (require('./commands/parse') as typeof import('./commands/parse')).parseCommand],
  ['fix', () => (require('./commands/fix') as typeof import('./commands/fix')).fixCommand],
  ['kinds', () => (require('./commands/kinds') as typeof import('./commands/kinds')).kindsCommand],
  ['ages', () => (require('./commands/ages') as typeof import('./commands/ages')).agesCommand],
  ['diff-backup', () => (require('./commands/diffBackup') as typeof import('./commands/diffBackup')).diffBackupCommand],
  ['restore', () => (require('./commands/restore') as typeof import('./commands/restore')).restoreCommand],
  ['retire', () => (require('./commands/retire') as typeof import('./commands/retire')).retireCommand],
  ['history', () => (require('./commands/history') as typeof import('./commands/history')).historyCommand],
  ['rotate', () => (require('./commands/rotate') as typeof import('./commands/rotate')).rotateCommand],
  ['verify', () => (require('./commands/verify') as typeof import('./commands/verify')).verifyCommand],
  ['retire-previous', () => (require('./commands/retirePrevious') as typeof import('./commands/retirePrevious')).retirePreviousCommand],
  ['generate', () => (require('./commands/generate') as typeof import('./commands/generate')).generateCommand],
  ['runbook', () => (require('./commands/runbook') as typeof import('./commands/runbook')).runbookCommand],
  ['hook', () => (require('./commands/hook') as typeof import('./commands/hook')).hookCommand],
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** Every command, loaded (for `--help` and tests). */
export function loadCommands(): CliCommand[] {
  return COMMAND_LOADERS.map(([, load]) => load());
}

function help(commands: CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `rekey ${REKEY_VERSION} — .env secret hygiene`,
    '',
    'Usage: rekey COMMAND [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `rekey COMMAND --help` for a command\'s options.',
    'Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or internal error.',
    'Secret values are never printed unless a command is given --reveal.',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help(loadCommands()) + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(REKEY_VERSION + '\n');
    return 0;
  }
  const load = COMMAND_LOADERS.find(([n]) => n === name)?.[1];
  try {
    const command = load?.();
    if (!command) throw new UsageError(`unknown command '${shownArg(name)}' (run rekey --help)`);
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help === true) {
      io.stdout(command.usage + '\n');
      return 0;
    }
    return await command.run(values, positionals, io);
  } catch (err) {
    // One line, no stack: a stack trace could carry a value from a failing parse.
    const message = err instanceof UsageError ? err.message : `internal error: ${(err as Error).message ?? String(err)}`;
    io.stderr(`rekey: ${message.split('\n')[0]}\n`);
    if (!(err instanceof UsageError) && io.env.REKEY_DEBUG) io.stderr(`${(err as Error).stack ?? ''}\n`);
    return 2;
  }
}

/** Node entry: wires the real process streams. */
export function main(): void {
  const io: CliIo = {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    // A getter: touching `process.stdin` opens it (a socket or pipe handle), a few ms that only
    // the commands reading it (pre-push, --value-stdin) need.
    get stdin() {
      return process.stdin;
    },
    isTty: process.stdout.isTTY === true,
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`rekey: internal error: ${(err as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) main();
