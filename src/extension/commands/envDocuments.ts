import * as path from 'node:path';
import type * as vscode from 'vscode';
import { isEnvFamilyName } from '../../core/workspace/envFileNames';

/** Whether a document is a `.env`-family file (by language or by name). */
export function isEnvDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'dotenv' || (doc.uri.scheme === 'file' && isEnvFamilyName(path.basename(doc.uri.fsPath)));
}
