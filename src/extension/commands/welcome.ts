import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../core/fs/atomicWrite';
import { SKIPPED_DIRS } from '../../core/workspace/envFileNames';
import { showMarkdownPreview } from '../views/virtualDocuments';
import type { ExtensionServices } from '../services';
import { uriFromArg } from './secretTarget';

/** Template names the welcome view's "create .env" understands, and the live name each yields. */
const EXAMPLE_SUFFIX = /\.(example|sample|template|dist)$/i;
const EXAMPLE_GLOB = '**/{.env.example,.env.sample,.env.template,.env.dist,.env.*.example,.env.*.sample,.env.*.template}';

/** `.env.example` → `.env`, `.env.local.example` → `.env.local`. */
export function liveNameForExample(name: string): string {
  return name.replace(EXAMPLE_SUFFIX, '');
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Create `.env` from `.env.example`: copies the template next to itself (mode 0600, as every file
 * holding secrets should be) and opens it so the placeholders can be filled in. An existing
 * `.env` is opened, never overwritten. Without a template it offers an empty `.env`.
 */
export async function createEnvFromExampleCommand(ctx: ExtensionServices, arg?: unknown): Promise<{ created: boolean; file: string } | undefined> {
  let example = uriFromArg(arg);
  if (!example) {
    const exclude = `**/{${[...SKIPPED_DIRS].join(',')}}/**`;
    const found = (await vscode.workspace.findFiles(EXAMPLE_GLOB, exclude, 50)).sort((a, b) => a.fsPath.length - b.fsPath.length);
    if (found.length === 0) {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) {
        void ctx.notifier.info('rekey: open a folder first.');
        return undefined;
      }
      const ok = await ctx.prompter.confirm('rekey: no .env.example in this workspace. Create an empty .env?', 'The file is created with mode 600 (readable only by you).', 'Create .env');
      if (!ok) return undefined;
      return create(ctx, path.join(folder.uri.fsPath, '.env'), '');
    }
    if (found.length === 1) example = found[0];
    else {
      const id = await ctx.prompter.pick(
        found.map((uri) => ({ id: uri.fsPath, label: vscode.workspace.asRelativePath(uri), description: `→ ${liveNameForExample(path.basename(uri.fsPath))}` })),
        'rekey: create a .env file from which template?',
      );
      if (!id) return undefined;
      example = vscode.Uri.file(id);
    }
  }
  if (!example) return undefined;
  const text = await fs.readFile(example.fsPath, 'utf8');
  return create(ctx, path.join(path.dirname(example.fsPath), liveNameForExample(path.basename(example.fsPath))), text);
}

async function create(ctx: ExtensionServices, target: string, text: string): Promise<{ created: boolean; file: string }> {
  const already = await exists(target);
  if (!already) {
    await writeFileAtomic(target, text, { mode: 0o600 });
    ctx.logger.info(`created ${target}`);
    await ctx.model.refresh();
  }
  await vscode.window.showTextDocument(vscode.Uri.file(target));
  if (already) void ctx.notifier.info(`rekey: ${path.basename(target)} already exists; opened it instead.`);
  else void ctx.notifier.info(`rekey: created ${path.basename(target)} (readable only by you). Fill in the values; make sure git ignores it.`);
  return { created: !already, file: target };
}

/** Open the docs: the extension's README in the Markdown preview (works offline). */
export async function openDocsCommand(ctx: ExtensionServices): Promise<void> {
  await showMarkdownPreview(vscode.Uri.joinPath(ctx.extensionUri, 'README.md'), ctx.logger);
}
