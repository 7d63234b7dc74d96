import type * as vscode from 'vscode';
import type { GitValueAge } from '../../core/age/secretAge';
import type { AuthSecretHint } from '../../core/consumers/authSecretHints';
import type { DetectConfig } from '../../core/detect/types';
import type { ParsedEnv } from '../../core/env/types';
import type { Finding } from '../../core/findings/finding';
import type { ReadFailure } from '../../core/fs/readTextFile';
import type { ConsumerScan } from '../../core/rotation/consumers';
import type { EnvFileRole } from '../../core/workspace/envFileNames';
import type { FileAnalysis, HistoryState } from './types';

/** What the model remembers about one file between analyses. Holds secret text: never log it. */
export interface TrackedFile {
  uri: vscode.Uri;
  /** Absolute path. */
  path: string;
  role: EnvFileRole;
  /** The file on disk, as last read (for files not open in an editor) or stat'ed. */
  disk?: DiskState;
  /** Set when the disk copy must be read (or stat'ed) again. */
  diskStale: boolean;
  /** The text last parsed and its result, reused while the text is unchanged. */
  parsedText?: string;
  parsed?: ParsedEnv;
  analysis?: FileAnalysis;
}

export interface DiskState {
  text?: string;
  mtimeMs?: number;
  mode?: number;
  error?: { reason: ReadFailure; message: string };
}

/**
 * The files analysed together: a workspace folder, or the folder of a `.env` file opened from
 * outside the workspace. Cross-file rules (backups, linked keys) work within a group.
 */
export interface FileGroup {
  key: string;
  folder?: vscode.WorkspaceFolder;
  /** Absolute path of the folder. */
  root: string;
  files: Map<string, TrackedFile>;
  /** Findings of the last git pass (history, tracking, backup tracking), by rule. */
  gitFindings: Finding[];
  history: HistoryState | undefined;
  /** Git value ages of the last git pass, by absolute file path. */
  gitAges: Map<string, Map<string, GitValueAge>>;
  /** `.rekey.json` of the folder, as last read. */
  fileConfig: DetectConfig;
  /** Kind hints from the folder's code; `hintsFresh` false means source files changed since. */
  kindHints: Map<string, AuthSecretHint>;
  hintsFresh: boolean;
  hintsComputed: boolean;
  /** The running (or last) kind-hint computation. */
  hintsRun?: Promise<void>;
  /** Consumer scans per file and key, with when they started (see CONSUMERS_MAX_AGE_MS). */
  consumers: Map<string, { scan: Promise<ConsumerScan | undefined>; at: number }>;
}
