import * as vscode from 'vscode';
import { KIND_IDS } from '../../core/catalog/types';
import { KINDS } from '../../core/catalog/kinds';

/**
 * Completions inside rekey annotation comments only (`# rekey: kind=`, `rotate=`, `ignore`).
 * They offer names from the catalog, never anything read from the file: no completion of
 * rekey's can carry a value. (VS Code's word-based suggestions, which would offer words of the
 * file, are turned off for dotenv by the extension's configuration defaults.)
 */
export class AnnotationCompletionProvider implements vscode.CompletionItemProvider {
  static readonly triggerCharacters = ['=', ':', ' '];

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const before = doc.lineAt(position.line).text.slice(0, position.character);
    if (/^\s*#\s*rekey\s*:.*\bkind\s*=\s*[\w-]*$/i.test(before)) {
      return KIND_IDS.map((id) => {
        const item = new vscode.CompletionItem(id, vscode.CompletionItemKind.EnumMember);
        item.detail = KINDS[id].name;
        item.documentation = `Rotate every ${KINDS[id].intervalDays} days. ${KINDS[id].impact}`;
        return item;
      });
    }
    if (/^\s*#\s*rekey\s*:(?:\s+[\w-]+(?:=\S*)?)*\s*[\w-]*$/i.test(before)) {
      const items: Array<[string, string]> = [
        ['kind=', 'The kind of secret (overrides detection)'],
        ['rotate=', 'Rotation interval, e.g. 30d, 12w, 6m, 1y'],
        ['rotated=', 'Date of the last rotation (YYYY-MM-DD)'],
        ['ignore', 'Not a secret: rekey leaves this entry alone'],
      ];
      return items.map(([label, detail]) => {
        const item = new vscode.CompletionItem(label, vscode.CompletionItemKind.Keyword);
        item.detail = detail;
        if (label.endsWith('=')) item.command = { title: 'suggest', command: 'editor.action.triggerSuggest' };
        return item;
      });
    }
    return [];
  }
}
