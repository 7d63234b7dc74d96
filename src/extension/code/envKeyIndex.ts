import * as vscode from 'vscode';
import type { EnvEntry } from '../../core/env/types';
import type { FileAnalysis, WorkspaceModel } from '../model/types';
import { summarizeAll, type SecretSummary } from '../tree/secretStatus';

/** One definition of a key in a `.env` or template file. Value-free apart from `entry`, which is never rendered. */
export interface KeyDefinition {
  file: FileAnalysis;
  entry: EnvEntry;
  /** The secret's summary (kind, status, age) when the entry is a secret. */
  secret?: SecretSummary;
}

/** Language ids whose files rekey reads env references in (see core/consumers/envReads). */
export const CODE_LANGUAGES = [
  'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'vue', 'svelte', 'astro',
  'python', 'ruby', 'go', 'php', 'java', 'kotlin', 'csharp', 'rust', 'elixir',
  'shellscript', 'yaml', 'dockercompose', 'dockerfile', 'makefile',
];

export const CODE_SELECTOR: vscode.DocumentSelector = CODE_LANGUAGES.flatMap((language) => [{ language, scheme: 'file' }, { language, scheme: 'untitled' }]);

/**
 * Which `.env` and template files define which keys, from the model's current analysis. Files
 * of the code file's own workspace folder come first; backups are not definitions.
 */
export function definitionsOf(model: WorkspaceModel, key: string, from?: vscode.Uri): KeyDefinition[] {
  const folder = from ? vscode.workspace.getWorkspaceFolder(from)?.uri.toString() : undefined;
  const files = model.files().filter((f) => f.role !== 'backup' && f.parsed);
  let summaries: SecretSummary[] | undefined;
  const out: KeyDefinition[] = [];
  for (const file of files) {
    let last: EnvEntry | undefined;
    for (const e of file.parsed!.entries) if (e.key === key) last = e;
    if (!last) continue;
    const def: KeyDefinition = { file, entry: last };
    if (file.secrets.some((s) => s.entry.key === key)) {
      summaries ??= summarizeAll(files);
      const s = summaries.find((x) => x.file === file.uri.fsPath && x.key === key);
      if (s) def.secret = s;
    }
    out.push(def);
  }
  const rank = (d: KeyDefinition) => (d.file.folder?.uri.toString() === folder ? 0 : 1) * 10 + (d.file.role === 'env' ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || a.file.relativePath.localeCompare(b.file.relativePath));
}

/** Every key defined in the workspace's `.env` and template files, with the files defining it. */
export function allKeys(model: WorkspaceModel): Map<string, FileAnalysis[]> {
  const out = new Map<string, FileAnalysis[]>();
  for (const file of model.files()) {
    if (file.role === 'backup' || !file.parsed) continue;
    for (const e of file.parsed.entries) {
      const list = out.get(e.key) ?? [];
      if (!list.includes(file)) list.push(file);
      out.set(e.key, list);
    }
  }
  return out;
}
