import * as path from 'node:path';
import * as vscode from 'vscode';
import { classifyEnvFileName, SKIPPED_DIRS } from '../../core/workspace/envFileNames';

/** Glob for candidate `.env`-family names; `classifyEnvFileName` makes the exact call. */
export const ENV_FAMILY_GLOB = '**/{.env*,*.env*}';

/** Dependency and tool folders are never searched (the same list the CLI skips). */
export const EXCLUDE_GLOB = `**/{${[...SKIPPED_DIRS].join(',')}}/**`;

/** Most `.env` files a folder may hold before discovery stops (and says so). */
export const MAX_FILES_PER_FOLDER = 2000;

/** Whether a URI is a `.env`-family file rekey analyses (on disk, not in a skipped folder). */
export function isAnalysable(uri: vscode.Uri): boolean {
  if (uri.scheme !== 'file') return false;
  if (classifyEnvFileName(uri.fsPath) === undefined) return false;
  return !uri.fsPath.split(path.sep).some((part) => SKIPPED_DIRS.has(part));
}

/**
 * The `.env`-family files of one workspace folder, git-ignored ones included (they are the
 * point), found through VS Code's file search so remote and virtual-file setups behave.
 */
export async function discoverEnvFiles(folder: vscode.WorkspaceFolder, token?: vscode.CancellationToken): Promise<{ uris: vscode.Uri[]; truncated: boolean }> {
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, ENV_FAMILY_GLOB), EXCLUDE_GLOB, MAX_FILES_PER_FOLDER, token);
  const uris = found.filter(isAnalysable).sort((a, b) => (a.fsPath < b.fsPath ? -1 : a.fsPath > b.fsPath ? 1 : 0));
  return { uris, truncated: found.length >= MAX_FILES_PER_FOLDER };
}

/** Extensions of the source files whose changes can change kind hints and consumers. */
export const SOURCE_GLOB = '**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx,py,rb,go,yml,yaml,sh,service}';
