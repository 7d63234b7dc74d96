import type * as vscode from 'vscode';
import type { Logger } from '../core/log';
import type { WorkspaceModel } from './model/types';
import type { Notifier } from './notifier';
import type { Prompter } from './prompter';
import type { RekeySettings } from './settings';

/**
 * What every feature of the extension receives: the model, logging, notifications, prompts,
 * settings and where per-user state lives. Built once in `activate()`.
 */
export interface ExtensionServices {
  readonly context: vscode.ExtensionContext;
  /** The single source of truth: files, findings, secrets, ages, history state. */
  readonly model: WorkspaceModel;
  /** Adapts the output channel; also remembered in memory for the test API. Never log a value. */
  readonly logger: Logger;
  readonly channel: vscode.LogOutputChannel;
  /** Every notification goes through here (errors get "Show Logs"; texts are remembered). */
  readonly notifier: Notifier;
  /** Modal confirmations and quick picks (answerable by integration tests). */
  readonly prompter: Prompter;
  /** Settings for a resource (or the window), defaults filled. */
  settings(scope?: vscode.ConfigurationScope): RekeySettings;
  /** Folder of the fingerprint key and rotation ledger: the extension's global storage. */
  readonly stateDir: string;
  /** Workspace trust, read live: git and other programs run only when true. */
  isTrusted(): boolean;
  readonly onDidGrantTrust: vscode.Event<void>;
  /** A short keyed fingerprint of a value (8 hex characters), never the value itself. */
  shortFingerprint(value: string): Promise<string | undefined>;
}
