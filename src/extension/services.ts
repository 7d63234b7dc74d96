import type * as vscode from 'vscode';
import type { Ledger } from '../core/age/ledger';
import type { Fingerprinter } from '../core/state/fingerprint';
import type { Logger } from '../core/log';
import type { SecretRef } from './commands/secretTarget';
import type { WorkspaceModel } from './model/types';
import type { Notifier } from './notifier';
import type { Prompter } from './prompter';
import type { NewValueClipboard } from './rotation/newValueClipboard';
import type { RekeySettings } from './settings';
import type { VirtualDocumentProvider } from './views/virtualDocuments';

/** The read-only documents rekey generates (plans, runbooks, reports), one provider per scheme. */
export interface GeneratedDocuments {
  readonly plan: VirtualDocumentProvider;
  readonly runbook: VirtualDocumentProvider;
  readonly report: VirtualDocumentProvider;
}

/**
 * What every feature and command of the extension receives: the model, logging, notifications,
 * prompts, settings, generated documents and where per-user state lives. Built once in
 * `activate()`; the one context object of the extension layer.
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
  /** The state folder's fingerprinter (the key `rekey diff-backup` uses), or undefined when unusable. */
  fingerprinter(): Promise<Fingerprinter | undefined>;
  readonly extensionUri: vscode.Uri;
  readonly docs: GeneratedDocuments;
  /** The rotation ledger (keyed fingerprints and dates), or undefined when it cannot be used. */
  openLedger(): Promise<Ledger | undefined>;
  /** New values of this session's rotations, for Copy New Value (fingerprints only; values are read back from the file). */
  readonly newValues: NewValueClipboard;
  /** The secret selected in the Secrets view, when the view is visible. */
  selectedSecret(): SecretRef | undefined;
}
