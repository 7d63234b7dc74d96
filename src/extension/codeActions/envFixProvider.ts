import * as vscode from 'vscode';
import { parseEnv } from '../../core/env/parse';
import type { ParseProblem } from '../../core/env/types';
import { fixAll } from '../../core/fix/fixAll';
import { fixForProblem } from '../../core/fix/problemFixes';
import { diffAsChange, type TextChange } from '../../core/fix/textChange';
import { LineIndex } from '../../core/text/lineIndex';
import type { EnvFix } from '../../core/fix/types';
import { DIAGNOSTIC_SOURCE } from '../convert';

/** `source.fixAll.rekey`: what `editor.codeActionsOnSave` and **Fix All** ask for. */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('rekey');

function toEdit(doc: vscode.TextDocument, changes: readonly TextChange[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const c of changes) edit.replace(doc.uri, new vscode.Range(doc.positionAt(c.start), doc.positionAt(c.end)), c.newText);
  return edit;
}

/** Line ends are a property of a VS Code document, not characters: they change by `setEndOfLine`. */
function lfEdit(doc: vscode.TextDocument): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  edit.set(doc.uri, [vscode.TextEdit.setEndOfLine(vscode.EndOfLine.LF)]);
  return edit;
}

/**
 * The edit turning the document into `fixed`. Compared line by line on LF-normalized text (the
 * document's line/character positions are the same whatever its line ends), then the line ends
 * are switched to LF when the fix asks for it.
 */
function wholeFileEdit(doc: vscode.TextDocument, text: string, fixed: string): vscode.WorkspaceEdit | undefined {
  const before = text.replace(/\r\n?/g, '\n');
  const change = diffAsChange(before, fixed.replace(/\r\n?/g, '\n'));
  const toLf = doc.eol === vscode.EndOfLine.CRLF && !fixed.includes('\r');
  if (!change && !toLf) return undefined;
  const edits: vscode.TextEdit[] = [];
  if (change) {
    const lines = new LineIndex(before);
    const r = lines.rangeOf(change.start, change.end);
    edits.push(vscode.TextEdit.replace(new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), change.newText));
  }
  if (toLf) edits.push(vscode.TextEdit.setEndOfLine(vscode.EndOfLine.LF));
  const edit = new vscode.WorkspaceEdit();
  edit.set(doc.uri, edits);
  return edit;
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = typeof d.code === 'object' ? d.code.value : d.code;
  return c === undefined ? undefined : String(c);
}

/**
 * A quick fix for every lint problem that has one (computed in core, checked to read the same
 * values back), a **Fix all rekey problems in this file** action next to them, and
 * `source.fixAll.rekey` for Fix All and fix-on-save. Fix All never applies fixes that change
 * what dotenv reads; those stay individual quick fixes whose titles say so.
 */
export class EnvFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND];

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const text = doc.getText();
    if (context.only) {
      if (context.only.contains(FIX_ALL_KIND)) {
        // `source`, `source.fixAll` or ours asked for (Fix All, fix on save): the file-wide action.
        const all = this.fixAllAction(doc, text, FIX_ALL_KIND);
        return all ? [all] : [];
      }
      if (!context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    }
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const parsed = parseEnv(text);
    const out: vscode.CodeAction[] = [];
    for (const d of ours) {
      const problem = problemFor(doc, parsed.problems, d);
      if (!problem) continue;
      const fix = fixForProblem(text, parsed, problem);
      if (!fix) continue;
      out.push(this.quickFix(doc, fix, d));
    }
    if (out.length > 0) {
      const all = this.fixAllAction(doc, text, vscode.CodeActionKind.QuickFix);
      if (all) out.push(all);
    }
    return out;
  }

  private quickFix(doc: vscode.TextDocument, fix: EnvFix, d: vscode.Diagnostic): vscode.CodeAction {
    const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    a.edit = fix.code === 'crlf' ? lfEdit(doc) : toEdit(doc, fix.changes);
    a.diagnostics = [d];
    a.isPreferred = !fix.changesMeaning;
    return a;
  }

  private fixAllAction(doc: vscode.TextDocument, text: string, kind: vscode.CodeActionKind): vscode.CodeAction | undefined {
    const result = fixAll(text);
    if (!result.change) return undefined;
    const edit = wholeFileEdit(doc, text, result.text);
    if (!edit) return undefined;
    const n = result.applied.length;
    const a = new vscode.CodeAction(`Fix all rekey problems in this file (${n} fix${n === 1 ? '' : 'es'}, values unchanged)`, kind);
    a.edit = edit;
    return a;
  }
}

/** The parser problem a diagnostic stands for: same code, same start. */
function problemFor(doc: vscode.TextDocument, problems: readonly ParseProblem[], d: vscode.Diagnostic): ParseProblem | undefined {
  const code = codeOf(d);
  const at = doc.offsetAt(d.range.start);
  return problems.find((p) => p.code === code && p.start === at) ?? problems.find((p) => p.code === code && p.range.start.line === d.range.start.line);
}
