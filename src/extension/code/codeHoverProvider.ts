import * as vscode from 'vscode';
import { envReadAt, envReadDialect } from '../../core/consumers/envReads';
import { md } from '../hover/hoverMarkdown';
import { actionLinks, enabledCommands, secretCardActions } from '../hover/commandLinks';
import type { WorkspaceModel } from '../model/types';
import { STATUS_LABEL } from '../tree/secretStatus';
import { definitionsOf, type KeyDefinition } from './envKeyIndex';
import { PLATFORM_KEYS } from './undefinedKeysController';

function code(text: string): string {
  return '`' + text.replace(/`/g, "'") + '`';
}

function where(d: KeyDefinition): string {
  return `${code(d.file.relativePath)} line ${d.entry.range.start.line + 1}`;
}

/** The card's markdown for a key read in code. Value-free: keys, files, kind, age and status only. */
export function codeHoverMarkdown(key: string, accessor: string, defs: readonly KeyDefinition[], links: string | undefined): string {
  const lines: string[] = [];
  const secret = defs.find((d) => d.secret)?.secret;
  if (defs.length === 0) {
    lines.push(`**rekey** · ${code(key)} · not defined in any .env or .env.example file`);
    lines.push(`Read here through ${code(accessor)}.`);
    return lines.join('  \n');
  }
  lines.push(`**rekey** · ${code(key)} · ${secret ? `${md(secret.kindName)} · ${secret.confidence} confidence` : 'not a secret'}`);
  if (links) lines.push(links);
  const shown = defs.slice(0, 6).map(where);
  lines.push(`**Defined in:** ${shown.join(', ')}${defs.length > 6 ? `, and ${defs.length - 6} more` : ''}`);
  if (secret) {
    const age = secret.age?.ageDays !== undefined ? ` · **Age:** ${md(secret.ageText)}` : '';
    lines.push(`**Status:** ${secret.statuses.map((s) => md(STATUS_LABEL[s])).join(', ')}${age} · rotate every ${secret.intervalDays} days`);
  }
  lines.push(`Read here through ${code(accessor)}.`);
  return lines.join('  \n');
}

/**
 * The hover on an environment read in code (`process.env.KEY`, `os.getenv("KEY")`, `${KEY}`...):
 * which `.env` files define the key, its kind, age and status, with the secret card's command
 * links. Never the value.
 */
export class CodeHoverProvider implements vscode.HoverProvider {
  constructor(private readonly model: WorkspaceModel) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const dialect = envReadDialect(doc.languageId);
    if (!dialect) return undefined;
    const read = envReadAt(doc.getText(), doc.offsetAt(position), dialect);
    if (!read) return undefined;
    const defs = definitionsOf(this.model, read.key, doc.uri);
    // `$HOME` in a script or `process.env.NODE_ENV`: not rekey's business unless a `.env` defines it.
    if (defs.length === 0 && (dialect === 'shell' || PLATFORM_KEYS.has(read.key))) return undefined;
    const target = defs.find((d) => d.secret) ?? defs[0];
    const actions = target?.secret ? secretCardActions(target.file.uri, read.key, { showInFile: true }) : [];
    const content = new vscode.MarkdownString(codeHoverMarkdown(read.key, read.accessor, defs, actions.length ? actionLinks(actions) : undefined));
    content.isTrusted = { enabledCommands: enabledCommands(actions) };
    content.supportHtml = false;
    content.supportThemeIcons = false;
    return new vscode.Hover(content, new vscode.Range(doc.positionAt(read.start), doc.positionAt(read.end)));
  }
}
