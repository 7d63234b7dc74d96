import * as vscode from 'vscode';
import type { Logger } from '../core/log';

/**
 * The last lines rekey logged, kept in memory so integration tests can check, through the API,
 * that no secret value ever reached the log. Bounded: old lines fall off.
 */
export class LogMemory {
  private readonly lines: string[] = [];

  constructor(private readonly max = 5000) {}

  add(level: string, message: string): void {
    this.lines.push(`[${level}] ${message}`);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }

  snapshot(): string[] {
    return [...this.lines];
  }
}

/** The one output channel, adapted to the core Logger interface. Never log a secret value. */
export function createLogger(channel: vscode.LogOutputChannel, memory?: LogMemory): Logger {
  const at = (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') => (m: string) => {
    memory?.add(level, m);
    channel[level](m);
  };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
