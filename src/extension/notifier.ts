import * as vscode from 'vscode';
import type { Logger } from '../core/log';

/**
 * Every notification rekey shows goes through here: errors carry "Show Logs", one-time
 * explanations are shown once per session, and the texts are remembered (bounded) so
 * integration tests can check that none of them holds a secret value. Messages name keys,
 * kinds and files only.
 */
export class Notifier {
  private readonly shownOnce = new Set<string>();
  private readonly texts: string[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly channel: vscode.LogOutputChannel,
  ) {}

  info(message: string, ...actions: string[]): Thenable<string | undefined> {
    this.remember(message);
    return vscode.window.showInformationMessage(message, ...actions);
  }

  warn(message: string, ...actions: string[]): Thenable<string | undefined> {
    this.remember(message);
    return vscode.window.showWarningMessage(message, ...actions);
  }

  /**
   * An error, with "Show Logs" unless `showLogs` is false; logged too unless `log` is false (the
   * caller logged a fuller line already).
   */
  error(message: string, options: { log?: boolean; showLogs?: boolean } = {}): void {
    this.remember(message);
    if (options.log !== false) this.logger.error(message);
    if (options.showLogs === false) {
      void vscode.window.showErrorMessage(message);
      return;
    }
    void vscode.window.showErrorMessage(message, 'Show Logs').then((pick) => {
      if (pick === 'Show Logs') this.channel.show(true);
    });
  }

  /** Shows `message` only the first time `id` is seen in this session. */
  once(id: string, message: string, ...actions: string[]): Thenable<string | undefined> {
    if (this.shownOnce.has(id)) return Promise.resolve(undefined);
    this.shownOnce.add(id);
    return this.info(message, ...actions);
  }

  /** Texts of the notifications shown so far (for the API and tests). */
  shown(): string[] {
    return [...this.texts];
  }

  private remember(message: string): void {
    this.texts.push(message);
    if (this.texts.length > 500) this.texts.shift();
  }
}
