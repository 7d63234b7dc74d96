import * as path from 'node:path';
import * as vscode from 'vscode';
import { envReadDialect, keyCompletionContext } from '../../core/consumers/envReads';
import type { WorkspaceModel } from '../model/types';
import { allKeys } from './envKeyIndex';

/**
 * Completes environment key names where code reads them (`process.env.`, `os.environ["`,
 * `getenv('`, `${`...). Items carry the key and the files defining it, never a value.
 */
export class CodeCompletionProvider implements vscode.CompletionItemProvider {
  static readonly triggerCharacters = ['.', '"', "'", '`', '{', '['];

  constructor(private readonly model: WorkspaceModel) {}

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const dialect = envReadDialect(doc.languageId);
    if (!dialect) return undefined;
    const before = doc.lineAt(position.line).text.slice(0, position.character);
    const ctx = keyCompletionContext(before, dialect);
    if (!ctx) return undefined;
    const start = position.translate(0, -ctx.prefix.length);
    const range = new vscode.Range(start, position);
    const after = doc.lineAt(position.line).text.slice(position.character);
    const out: vscode.CompletionItem[] = [];
    for (const [key, files] of allKeys(this.model)) {
      if (ctx.quote && !/^[A-Za-z_][\w.-]*$/.test(key)) continue;
      if (!ctx.quote && !/^[A-Za-z_]\w*$/.test(key)) continue;
      const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Constant);
      item.range = range;
      item.detail = `rekey · defined in ${files.map((f) => path.basename(f.relativePath)).slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}`;
      item.sortText = `0${key}`;
      // Close the quote the accessor opened when the user has not typed it yet.
      if (ctx.quote && !after.startsWith(ctx.quote)) item.insertText = `${key}${ctx.quote}`;
      out.push(item);
    }
    return out;
  }
}
