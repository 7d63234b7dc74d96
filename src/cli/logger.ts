import type { Logger } from '../core/log';
import type { CliIo } from './command';

/** Warnings and errors always go to stderr; debug output only with --verbose. */
export function stderrLogger(io: CliIo, verbose: boolean): Logger {
  const line = (level: string) => (message: string) => io.stderr(`rekey: ${level}${message}\n`);
  const quiet = () => undefined;
  return {
    trace: verbose ? line('trace: ') : quiet,
    debug: verbose ? line('debug: ') : quiet,
    info: verbose ? line('') : quiet,
    warn: line('warning: '),
    error: line('error: '),
  };
}
