import type * as vscode from 'vscode';
import type { Ledger } from '../../core/age/ledger';
import type { Logger } from '../../core/log';
import type { SecretRef } from '../commands/secretTarget';
import type { WorkspaceModel } from '../model/types';
import type { Notifier } from '../notifier';
import type { Prompter } from '../prompter';
import type { VirtualDocumentProvider } from './virtualDocuments';

/** What the views and their commands need from the rest of the extension. */
export interface ViewContext {
  readonly model: WorkspaceModel;
  readonly logger: Logger;
  readonly channel: vscode.LogOutputChannel;
  /** Every notification goes through it (remembered for never-leak tests). */
  readonly notifier: Notifier;
  /** Modal confirmations and quick picks (answerable by integration tests). */
  readonly prompter: Prompter;
  readonly extensionUri: vscode.Uri;
  readonly docs: {
    readonly plan: VirtualDocumentProvider;
    readonly runbook: VirtualDocumentProvider;
    readonly report: VirtualDocumentProvider;
  };
  /** Workspace trust: git and other programs run only when trusted. */
  isTrusted(): boolean;
  /** The rotation ledger (keyed fingerprints and dates), or undefined when it cannot be used. */
  openLedger(): Promise<Ledger | undefined>;
  /** The secret selected in the Secrets view, when the view is visible. */
  selectedSecret(): SecretRef | undefined;
}
