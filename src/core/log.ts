/**
 * The logging interface core code receives. The extension adapts its LogOutputChannel to it and
 * the CLI writes to stderr under `--verbose`. Never pass a secret value to a logger.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
