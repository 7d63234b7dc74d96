import type * as vscode from 'vscode';
import type { GitValueAge } from '../../core/age/secretAge';
import type { FastPassCache } from '../../core/analysis/fastPass';
import type { DetectConfig } from '../../core/detect/types';
import type { ParsedEnv } from '../../core/env/types';
import type { Finding } from '../../core/findings/finding';
import type { ReadFailure } from '../../core/fs/readTextFile';
import type { EnvFileRole } from '../../core/workspace/envFileNames';
import type { FileAnalysis } from './types';

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
 * outside the workspace. Cross-file rules (backups, linked keys) work within a group. Kind hints
 * and history state of a group live in `CodeHints` and `HistoryTracker`, keyed by `key`.
 */
export interface FileGroup {
  key: string;
  folder?: vscode.WorkspaceFolder;
  /** Absolute path of the folder. */
  root: string;
  files: Map<string, TrackedFile>;
  /** Findings of the last git pass (history, tracking, backup tracking), by rule. */
  gitFindings: Finding[];
  /** Git value ages of the last git pass, by absolute file path. */
  gitAges: Map<string, Map<string, GitValueAge>>;
  /** `.rekey.json` of the folder, as last read. */
  fileConfig: DetectConfig;
  /** Per-file results of the fast passes, so an edit re-analyses the edited file only. */
  fastCache: FastPassCache;
}
