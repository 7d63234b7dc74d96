import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command reads and writes; injectable so tests run commands in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Standard input, for commands that read it (git hooks). */
  stdin?: NodeJS.ReadableStream;
  /** Whether stdout is a terminal (colours, progress). */
  isTty?: boolean;
}

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface CliCommand {
  name: string;
  /** One line for `rekey --help`. */
  summary: string;
  /** Full usage text for `rekey COMMAND --help`. */
  usage: string;
  options: OptionsConfig;
  /** Returns the exit code: 0 clean, 1 findings at or above --fail-on, 2 usage/internal error. */
  run(values: Record<string, string | boolean | string[] | boolean[] | undefined>, positionals: string[], io: CliIo): Promise<number>;
}

/** A mistake in how rekey was called; printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `util.parseArgs` with strict checking, turning its errors into {@link UsageError}s. */
export function parseCommandArgs(command: CliCommand, argv: string[]): { values: Record<string, string | boolean | string[] | boolean[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values, positionals };
  } catch (err) {
    // The first sentence only: node goes on to suggest a command line that repeats the argument.
    const line = ((err as Error).message.split('\n')[0] ?? 'invalid arguments').split('. ')[0] ?? 'invalid arguments';
    // node's messages quote the offending argument ('--AUTH_SECRET=…'): show it only when harmless.
    throw new UsageError(`${command.name}: ${line.replace(/'([^'\n]*)'/g, (_m, a: string) => `'${shownArg(a)}'`)}`);
  }
}

/**
 * How an argument the user typed may be echoed in an error: as is when it looks like a command,
 * an option name or a small number; otherwise not at all, because `rekey 'AUTH_SECRET=…'` or a
 * value pasted in the wrong place must never reach the terminal or a CI log.
 */
export function shownArg(arg: string): string {
  if (/^-{0,2}[A-Za-z][A-Za-z-]{0,31}$/.test(arg) || /^-?\d{1,9}$/.test(arg)) return arg;
  return '(argument not shown)';
}

/** Reads a string option that must be one of `choices`. */
export function choice<T extends string>(value: unknown, name: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got ${typeof value === 'string' ? JSON.stringify(shownArg(value)) : 'no value'})`);
}

/** Reads a positive integer option. */
export function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`--${name} must be a positive whole number (got ${typeof value === 'string' ? JSON.stringify(shownArg(value)) : 'no value'})`);
  }
  return n;
}
