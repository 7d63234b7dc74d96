import { UsageError, parseCommandArgs, shownArg, type CliCommand, type CliIo } from './command';
import { agesCommand } from './commands/ages';
import { diffBackupCommand } from './commands/diffBackup';
import { fixCommand } from './commands/fix';
import { generateCommand } from './commands/generate';
import { historyCommand } from './commands/history';
import { hookCommand } from './commands/hook';
import { kindsCommand } from './commands/kinds';
import { parseCommand } from './commands/parse';
import { restoreCommand } from './commands/restore';
import { retirePreviousCommand } from './commands/retirePrevious';
import { retireCommand } from './commands/retire';
import { rotateCommand } from './commands/rotate';
import { runbookCommand } from './commands/runbook';
import { scanCommand } from './commands/scan';
import { verifyCommand } from './commands/verify';
import { REKEY_VERSION } from './format/findings';

/** Every command, in the order `rekey --help` lists them. */
export const COMMANDS: CliCommand[] = [
  scanCommand,
  parseCommand,
  fixCommand,
  kindsCommand,
  agesCommand,
  diffBackupCommand,
  restoreCommand,
  retireCommand,
  historyCommand,
  rotateCommand,
  verifyCommand,
  retirePreviousCommand,
  generateCommand,
  runbookCommand,
  hookCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `rekey ${REKEY_VERSION} — .env secret hygiene`,
    '',
    'Usage: rekey COMMAND [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
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
    io.stdout(help() + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(REKEY_VERSION + '\n');
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
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
    stdin: process.stdin,
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
