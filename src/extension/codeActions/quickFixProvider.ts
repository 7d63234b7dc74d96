import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseEnv } from '../../core/env/parse';
import type { EnvEntry } from '../../core/env/types';
import type { Finding } from '../../core/findings/finding';
import type { CommandId } from '../commands/table';
import { DIAGNOSTIC_SOURCE, sameFinding } from '../convert';
import { backupOf } from '../model/findingFacts';
import type { ExtensionServices } from '../services';
import { ignoreEdit } from './commentEdits';
import { toWorkspaceEdit } from './quickFixCommands';

/** Rules about one secret: they can be silenced with `# rekey-ignore` and fixed by rotating. */
const SECRET_RULES = new Set(['secret', 'secret-in-template', 'changed-since-backup', 'rotation-overdue', 'rotation-due-soon', 'leaked-in-history']);
const ROTATE_RULES = new Set(['secret', 'secret-in-template', 'rotation-overdue', 'rotation-due-soon', 'leaked-in-history']);
const KIND_RULES = new Set(['secret', 'secret-in-template', 'rotation-overdue', 'rotation-due-soon']);

/**
 * Quick fixes for rekey's diagnostics, matched by `code` (the rule id): add the file to
 * `.gitignore`, stop tracking it, restore a key from its backup, rotate, ignore with
 * `# rekey-ignore`, fix backup permissions, set the kind. Text edits are WorkspaceEdits, so Undo
 * reverts them; the rest are commands (they prompt, or touch git or the file system).
 */
export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly services: ExtensionServices) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const analysis = this.services.model.get(doc.uri);
    if (!analysis) return [];
    const text = doc.getText();
    const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const entries = parseEnv(text).entries;
    const out: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    const add = (a: vscode.CodeAction, d: vscode.Diagnostic, id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      a.diagnostics = [d];
      out.push(a);
    };
    for (const d of ours) {
      const finding = analysis.findings.find((f) => sameFinding(d, f));
      if (!finding) continue;
      for (const { action, id } of this.actionsFor(doc, finding, entries, text, eol)) add(action, d, id);
    }
    return out;
  }

  private actionsFor(doc: vscode.TextDocument, f: Finding, entries: EnvEntry[], text: string, eol: string): Array<{ action: vscode.CodeAction; id: string }> {
    const out: Array<{ action: vscode.CodeAction; id: string }> = [];
    const uri = doc.uri.toString();
    const name = path.basename(doc.uri.fsPath);
    const command = (title: string, id: CommandId, args: object, preferred = false) => {
      const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      a.command = { title, command: id, arguments: [args] };
      a.isPreferred = preferred;
      out.push({ action: a, id: `${id}:${JSON.stringify(args)}` });
    };
    const data = (f.data ?? {}) as { ignoreLine?: string; ignored?: boolean };
    const trusted = this.services.isTrusted();

    switch (f.rule) {
      case 'env-not-ignored':
      case 'backup-not-ignored':
        command(`Add ${data.ignoreLine ?? name} to .gitignore`, 'rekey.addToGitignore', { uri, ...(data.ignoreLine ? { line: data.ignoreLine } : {}) }, true);
        break;
      case 'env-tracked':
      case 'backup-tracked':
        if (trusted) command(`Stop tracking ${name} (git rm --cached)…`, 'rekey.untrackFile', { uri }, true);
        if (data.ignored !== true) command(`Add ${data.ignoreLine ?? name} to .gitignore`, 'rekey.addToGitignore', { uri, ...(data.ignoreLine ? { line: data.ignoreLine } : {}) });
        break;
      case 'rotation-backup':
        command(`Retire ${name} (delete it: the new value works everywhere)…`, 'rekey.retireRotationBackup', { uri }, true);
        break;
      case 'backup-permissions':
        command(`Make ${name} readable only by you (chmod 600)`, 'rekey.fixBackupPermissions', { uri }, true);
        break;
      case 'changed-since-backup': {
        const backup = backupOf(f);
        if (f.key && backup) command(`Restore ${f.key} from ${path.basename(backup)}`, 'rekey.restoreFromBackup', { uri, key: f.key, backup }, true);
        break;
      }
      case 'previous-secret-retirable': {
        const of = (f.data as { of?: string } | undefined)?.of;
        if (of) command(`Retire the previous ${of}`, 'rekey.retirePrevious', { uri, key: of }, true);
        break;
      }
      default:
        break;
    }
    if (f.key && ROTATE_RULES.has(f.rule)) {
      command(`Rotate ${f.key}…`, 'rekey.rotateSecret', { uri, key: f.key }, f.rule === 'leaked-in-history' || f.rule === 'rotation-overdue');
    }
    if (f.key && KIND_RULES.has(f.rule)) command(`Set the kind of ${f.key}…`, 'rekey.setKind', { uri, key: f.key });
    if (f.key && SECRET_RULES.has(f.rule)) {
      const entry = lastOf(entries, f.key);
      if (entry) {
        const title = `Ignore ${f.key} (# rekey-ignore)`;
        const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        a.edit = toWorkspaceEdit(doc.uri, ignoreEdit(text, entry, eol));
        out.push({ action: a, id: `ignore:${f.key}` });
      }
    }
    return out;
  }
}

function lastOf(entries: EnvEntry[], key: string): EnvEntry | undefined {
  let found: EnvEntry | undefined;
  for (const e of entries) if (e.key === key) found = e;
  return found;
}
