import type * as vscode from 'vscode';
import type { SecretAgeReport } from '../../core/age/collectAges';
import type { DetectedSecret, DetectOptions } from '../../core/detect/types';
import type { ParsedEnv } from '../../core/env/types';
import type { Finding } from '../../core/findings/finding';
import type { ConsumerScan } from '../../core/rotation/consumers';
import type { EnvFileRole } from '../../core/workspace/envFileNames';

/**
 * What the extension knows about one `.env`-family file. Produced by the workspace model from
 * core results; every feature (diagnostics, hovers, quick fixes, masking, tree, commands)
 * reads it instead of re-analysing. Contains values inside `parsed`: never log or render them.
 */
export interface FileAnalysis {
  uri: vscode.Uri;
  folder: vscode.WorkspaceFolder | undefined;
  role: EnvFileRole;
  /** Document version (open editor) or mtime (disk) the analysis was computed from. */
  version: number;
  parsed?: ParsedEnv;
  /** Secrets of the file (last definition of each key), suppressed ones included and marked. */
  secrets: DetectedSecret[];
  /** Every finding for this file: fast rules plus the last history scan's. */
  findings: Finding[];
  /** Rotation age per key, when known. */
  ages: Map<string, SecretAgeReport>;
  /** Backups discovered for this file (absolute paths). */
  backups: string[];
  /** Why the file could not be analysed (binary, too large, ...). */
  error?: string;
  /** Path relative to its workspace folder (`/`-separated), or the base name outside one. */
  relativePath: string;
  /** For a backup: the live file it backs up (absolute path), when known. */
  backupOf?: string;
}

/** Where history results stand for a workspace folder. */
export interface HistoryState {
  folder: vscode.WorkspaceFolder;
  status: 'not-run' | 'running' | 'done' | 'unavailable' | 'disabled' | 'untrusted';
  /** User-facing explanation for unavailable/disabled/untrusted, or a partial-result note. */
  detail?: string;
  lastRun?: Date;
  /** Repositories the folder's `.env` files belong to (absolute paths). */
  repositories?: string[];
}

/** The single source of truth the VS Code features render. */
export interface WorkspaceModel extends vscode.Disposable {
  /** Fires with the URIs whose analysis changed (undefined: everything may have changed). */
  readonly onDidChange: vscode.Event<vscode.Uri[] | undefined>;
  /** All known `.env`-family files across workspace folders. */
  files(): FileAnalysis[];
  get(uri: vscode.Uri): FileAnalysis | undefined;
  /** Re-analyse one file, or rediscover and re-analyse everything. */
  refresh(uri?: vscode.Uri): Promise<void>;
  /** Run the git-based rules (history, tracking) now, with progress and cancellation. */
  scanHistory(token?: vscode.CancellationToken, progress?: vscode.Progress<{ message?: string; increment?: number }>): Promise<void>;
  history(): HistoryState[];
  /** Resolves when no analysis is pending (integration tests). */
  whenIdle(): Promise<void>;
  /**
   * Detection options for a document, synchronously, from what the model has cached (workspace
   * config, settings, kind hints from the code): masking uses them to judge a buffer as it is
   * typed, without waiting for the debounced analysis.
   */
  detectOptions(uri: vscode.Uri): DetectOptions;
  /**
   * Where `key` of the file is read across its workspace folder (code, compose, CI...). Computed
   * on first request and cached until source files change. Value-free.
   */
  consumersOf(uri: vscode.Uri, key: string, token?: vscode.CancellationToken): Promise<ConsumerScan | undefined>;
}
