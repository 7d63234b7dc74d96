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
    throw new UsageError(`${command.name}: ${(err as Error).message.split('\n')[0] ?? 'invalid arguments'}`);
  }
}

/** Reads a string option that must be one of `choices`. */
export function choice<T extends string>(value: unknown, name: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got ${JSON.stringify(value)})`);
}

/** Reads a positive integer option. */
export function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`--${name} must be a positive whole number (got ${JSON.stringify(value)})`);
  }
  return n;
}
