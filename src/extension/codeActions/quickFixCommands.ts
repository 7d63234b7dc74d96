import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { KIND_IDS, type KindId } from '../../core/catalog/types';
import { KINDS } from '../../core/catalog/kinds';
import { RestoreError, restoreKey } from '../../core/backup/restore';
import { findRekeyBackups, readRekeyBackup, retireBackup } from '../../core/backup/retire';
import { parseEnv } from '../../core/env/parse';
import type { EnvEntry } from '../../core/env/types';
import { readEnvFile } from '../../core/fs/readTextFile';
import { findRepoRoot } from '../../core/git/repoRoot';
import { GitRunner } from '../../core/git/gitRunner';
import { ignoreLineFor } from '../../core/git/tracking';
import { UserFacingError } from '../commands/registry';
import type { ExtensionServices } from '../services';
import { retirePreviousInEditor } from '../rotation/retirePreviousInEditor';
import { setKindEdit, type LineEdit } from './commentEdits';

/** Arguments every quick-fix command takes (JSON-friendly: code actions and tests pass them). */
export interface QuickFixArgs {
  uri: string | vscode.Uri;
  key?: string;
  /** `.gitignore` line to add. */
  line?: string;
  /** Backup file to restore from (absolute path). */
  backup?: string;
  /** Kind id (set-kind without asking). */
  kind?: string;
}

function argsOf(raw: unknown): QuickFixArgs & { uri: vscode.Uri } {
  const a = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<QuickFixArgs>;
  if (!a.uri) throw new UserFacingError('rekey: this fix needs a file; run it from a problem in a .env file.');
  return { ...a, uri: typeof a.uri === 'string' ? vscode.Uri.parse(a.uri, true) : a.uri };
}

function lastEntry(text: string, key: string): EnvEntry | undefined {
  let found: EnvEntry | undefined;
  for (const e of parseEnv(text).entries) if (e.key === key) found = e;
  return found;
}

/** A line edit as a WorkspaceEdit on the document. */
export function toWorkspaceEdit(uri: vscode.Uri, e: LineEdit): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const start = new vscode.Position(e.line, e.character);
  edit.replace(uri, new vscode.Range(start, start.translate(0, e.length)), e.newText);
  return edit;
}

/** The `.gitignore` a line goes into: the repository's top folder, else the workspace folder, else the file's folder. */
export function gitignoreFor(file: string): string {
  const root = findRepoRoot(file) ?? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath ?? path.dirname(file);
  return path.join(root, '.gitignore');
}

export async function addToGitignore(services: ExtensionServices, raw: unknown): Promise<boolean> {
  const { uri, line: given } = argsOf(raw);
  const target = gitignoreFor(uri.fsPath);
  const rel = path.relative(path.dirname(target), uri.fsPath).split(path.sep).join('/');
  const line = given ?? ignoreLineFor(rel);
  const targetUri = vscode.Uri.file(target);
  const exists = await fs.stat(target).then(() => true, () => false);
  const edit = new vscode.WorkspaceEdit();
  if (exists) {
    const doc = await vscode.workspace.openTextDocument(targetUri);
    const text = doc.getText();
    if (text.split(/\r?\n/).some((l) => l.trim() === line)) {
      void services.notifier.info(`rekey: ${line} is already in ${path.basename(target)}.`);
      return false;
    }
    const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const prefix = text.length > 0 && !text.endsWith('\n') ? eol : '';
    edit.insert(targetUri, doc.positionAt(text.length), `${prefix}${line}${eol}`);
  } else {
    edit.createFile(targetUri, { ignoreIfExists: true });
    edit.insert(targetUri, new vscode.Position(0, 0), `${line}\n`);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${target}`);
  // git reads .gitignore from disk: save it so the fix takes effect (Undo in that file reverts it).
  const doc = await vscode.workspace.openTextDocument(targetUri);
  await doc.save();
  services.logger.info(`added ${line} to ${target}`);
  return true;
}

export async function untrackFile(services: ExtensionServices, raw: unknown): Promise<boolean> {
  const { uri } = argsOf(raw);
  if (!services.isTrusted()) throw new UserFacingError('rekey: stopping tracking runs git, which rekey does not do in an untrusted workspace. Trust the workspace first.');
  const root = findRepoRoot(uri.fsPath);
  if (!root) throw new UserFacingError(`rekey: ${path.basename(uri.fsPath)} is not inside a git repository.`);
  const rel = path.relative(root, uri.fsPath).split(path.sep).join('/');
  const ok = await services.prompter.confirm(
    `Stop tracking ${rel}?`,
    `rekey runs "git rm --cached ${rel}": the file stays on disk but leaves the index, and your next commit removes it from the repository. Earlier commits still hold its values: rotate the secrets it contains.`,
    'Stop Tracking',
  );
  if (!ok) return false;
  const git = await GitRunner.open(root, { trusted: true });
  await git.run(['rm', '--cached', '--quiet', '--', rel]);
  services.logger.info(`git rm --cached ${rel}`);
  void services.model.scanHistory();
  return true;
}

export async function restoreFromBackup(services: ExtensionServices, raw: unknown): Promise<boolean> {
  const { uri, key, backup } = argsOf(raw);
  if (!key || !backup) throw new UserFacingError('rekey: restoring needs a key and a backup.');
  const read = await readEnvFile(backup, services.settings(uri).maxFileSizeKB * 1024);
  if (!read.ok) throw new UserFacingError(`rekey: cannot read the backup ${path.basename(backup)}: ${read.message}`);
  const doc = await vscode.workspace.openTextDocument(uri);
  let change;
  try {
    change = restoreKey({ file: uri.fsPath, text: doc.getText() }, read.text, key);
  } catch (err) {
    if (err instanceof RestoreError) throw new UserFacingError(`rekey: ${err.message}`);
    throw err;
  }
  if (change.action === 'unchanged') {
    void services.notifier.info(`rekey: ${key} already has the backup's value.`);
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const e of change.edits) edit.replace(uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${path.basename(uri.fsPath)}`);
  services.logger.info(`restored ${key} in ${path.basename(uri.fsPath)} from ${path.basename(backup)} (unsaved; Undo reverts it)`);
  return true;
}

export async function fixBackupPermissions(services: ExtensionServices, raw: unknown): Promise<boolean> {
  const { uri } = argsOf(raw);
  // chmod is a system call, not a program: allowed in untrusted workspaces too.
  await fs.chmod(uri.fsPath, 0o600);
  services.logger.info(`chmod 600 ${uri.fsPath}`);
  await services.model.refresh(uri);
  return true;
}

/**
 * Deletes a backup rekey made before a rotation or restore (the last step of a rotation), after
 * a modal confirmation. From the palette without a file: picks among the workspace's rekey-made
 * backups. A backup the user made is never deleted.
 */
export async function retireRotationBackup(services: ExtensionServices, raw: unknown): Promise<boolean> {
  let target: string | undefined = raw === undefined ? undefined : raw instanceof vscode.Uri ? raw.fsPath : argsOf(raw).uri.fsPath;
  if (!target) {
    const found = (await Promise.all((vscode.workspace.workspaceFolders ?? []).map((f) => findRekeyBackups(f.uri.fsPath)))).flat();
    if (found.length === 0) throw new UserFacingError('rekey: no backups made by rekey in this workspace: nothing to retire.');
    const pick = await vscode.window.showQuickPick(
      found.map((b) => ({ label: vscode.workspace.asRelativePath(b.path), description: `${b.info.action === 'rotating' ? 'rotation' : 'restore'} of ${b.info.keys.join(', ')} on ${b.info.date.slice(0, 10)}`, path: b.path })),
      { title: 'Retire Rotation Backup', placeHolder: 'Backup to delete once the new value works everywhere' },
    );
    if (!pick) return false;
    target = pick.path;
  }
  const backup = await readRekeyBackup(target);
  if (!backup) throw new UserFacingError(`rekey: ${path.basename(target)} is not a backup rekey made; rekey only retires its own backups.`);
  const what = `${backup.info.action === 'rotating' ? 'rotation' : 'restore'} of ${backup.info.keys.join(', ')} on ${backup.info.date.slice(0, 10)}`;
  // Through the prompter, like every other confirmation (tests answer it; a modal cannot be clicked).
  const ok = await services.prompter.confirm(
    `Delete ${path.basename(target)}?`,
    `It holds the values from before the ${what}. Delete it only once the new value works everywhere.`,
    'Delete Backup',
  );
  if (!ok) return false;
  const ledger = await services.openLedger();
  const retired = await retireBackup(target, ledger ? { ledger } : {});
  if (retired.ledgerError) services.logger.warn(`the retirement was not recorded in the ledger: ${retired.ledgerError}`);
  services.logger.info(`retired ${target} (${what})`);
  await services.model.refresh(vscode.Uri.file(target));
  return true;
}

export async function setKind(services: ExtensionServices, raw: unknown): Promise<boolean> {
  const { uri, key, kind: given } = argsOf(raw);
  if (!key) throw new UserFacingError('rekey: setting the kind needs a key.');
  const doc = await vscode.workspace.openTextDocument(uri);
  const entry = lastEntry(doc.getText(), key);
  if (!entry) throw new UserFacingError(`rekey: ${key} is not defined in ${path.basename(uri.fsPath)}.`);
  const kind: KindId | undefined =
    given && (KIND_IDS as readonly string[]).includes(given)
      ? (given as KindId)
      : await services.prompter.pick(
          KIND_IDS.map((id) => ({ id, label: KINDS[id].name, description: id, detail: `rotate every ${KINDS[id].intervalDays} days` })),
          `Kind of secret ${key} holds`,
        );
  if (!kind) return false;
  const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const ok = await vscode.workspace.applyEdit(toWorkspaceEdit(uri, setKindEdit(doc.getText(), entry, kind, eol)));
  if (!ok) throw new Error(`could not edit ${path.basename(uri.fsPath)}`);
  return true;
}

/** Removes the previous session secret a zero-logout rotation kept (after confirmation). */
export async function retirePrevious(services: ExtensionServices, raw: unknown): Promise<unknown> {
  const args = argsOf(raw);
  if (!args.key) throw new UserFacingError('rekey: Retire Previous Secret needs a key');
  const confirm = (raw as { confirm?: boolean } | undefined)?.confirm === true;
  return retirePreviousInEditor(
    { uri: args.uri, key: args.key, confirm },
    { trusted: services.isTrusted(), logger: services.logger, confirm: (m, d, action) => services.prompter.confirm(m, d, action) },
  );
}
