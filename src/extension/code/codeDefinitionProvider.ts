import * as vscode from 'vscode';
import { envReadAt, envReadDialect } from '../../core/consumers/envReads';
import { toRange } from '../convert';
import type { WorkspaceModel } from '../model/types';
import { definitionsOf } from './envKeyIndex';

/** Go to Definition from an environment read in code to the key's entries in `.env` files. */
export class CodeDefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly model: WorkspaceModel) {}

  provideDefinition(doc: vscode.TextDocument, position: vscode.Position): vscode.DefinitionLink[] | undefined {
    const dialect = envReadDialect(doc.languageId);
    if (!dialect) return undefined;
    const read = envReadAt(doc.getText(), doc.offsetAt(position), dialect);
    if (!read) return undefined;
    const origin = new vscode.Range(doc.positionAt(read.start), doc.positionAt(read.end));
    const defs = definitionsOf(this.model, read.key, doc.uri);
    if (defs.length === 0) return undefined;
    // The key only: the value is never selected or shown in the peek's title.
    return defs.map((d) => ({ originSelectionRange: origin, targetUri: d.file.uri, targetRange: toRange(d.entry.keyRange), targetSelectionRange: toRange(d.entry.keyRange) }));
  }
}
