import type * as vscode from 'vscode';
import type { CommandId } from '../commands/table';

// Literal ids (the registry's values) keep this module free of the `vscode` runtime, so the card
// renders in plain unit tests; the integration tests execute every link.
const COMMAND_IDS = {
  rotateSecret: 'rekey.rotateSecret',
  openRunbook: 'rekey.openRunbook',
  showConsumers: 'rekey.showConsumers',
  restoreFromBackup: 'rekey.restoreFromBackup',
  showInFile: 'rekey.showInFile',
  revealValue: 'rekey.revealValue',
  copyNewValue: 'rekey.copyNewValue',
} as const satisfies Record<string, CommandId>;

/** One command link of a secret's hover card. */
export interface CardAction {
  title: string;
  command: CommandId;
  args: Record<string, string>;
  tooltip: string;
}

export interface CardActionOptions {
  /** Offer Restore from Backup from this backup (absolute path). */
  backup?: string;
  /** Offer Reveal (only while the value is masked in that file's editor). */
  reveal?: boolean;
  /** Offer Show in File (hovers outside the `.env` file). */
  showInFile?: boolean;
  /** Offer Copy New Value (the key was rotated in this session). */
  copyNewValue?: boolean;
}

/** The actions on a secret, in card order: Rotate, Open Runbook, Show Consumers, Restore, Reveal. */
export function secretCardActions(uri: vscode.Uri, key: string, options: CardActionOptions = {}): CardAction[] {
  const ref = { uri: uri.toString(), key };
  const out: CardAction[] = [
    { title: 'Rotate', command: COMMAND_IDS.rotateSecret, args: ref, tooltip: `Plan and apply a rotation of ${key}` },
    { title: 'Open Runbook', command: COMMAND_IDS.openRunbook, args: ref, tooltip: `The rotation runbook for ${key}` },
    { title: 'Show Consumers', command: COMMAND_IDS.showConsumers, args: ref, tooltip: `The places that read ${key}` },
  ];
  if (options.backup) out.push({ title: 'Restore from Backup', command: COMMAND_IDS.restoreFromBackup, args: { ...ref, backup: options.backup }, tooltip: `Put back the value ${key} has in the backup (Undo reverts it)` });
  if (options.showInFile) out.push({ title: 'Show in File', command: COMMAND_IDS.showInFile, args: ref, tooltip: `Open the entry of ${key} (masked)` });
  if (options.copyNewValue) out.push({ title: 'Copy New Value', command: COMMAND_IDS.copyNewValue, args: ref, tooltip: `Put the value the rotation wrote to ${key} on the clipboard (cleared after a while)` });
  if (options.reveal) out.push({ title: 'Reveal', command: COMMAND_IDS.revealValue, args: ref, tooltip: 'Show this value for a few seconds' });
  return out;
}

/** `command:` URI of an action (arguments as one JSON array element). */
export function commandUri(action: Pick<CardAction, 'command' | 'args'>): string {
  return `command:${action.command}?${encodeURIComponent(JSON.stringify([action.args]))}`;
}

/** The actions as one markdown line of links. Titles and tooltips are fixed texts and key names. */
export function actionLinks(actions: readonly CardAction[]): string {
  return actions.map((a) => `[${a.title}](${commandUri(a)} "${a.tooltip.replace(/"/g, "'")}")`).join(' · ');
}

/** What a hover with these actions may run (`MarkdownString.isTrusted.enabledCommands`). */
export function enabledCommands(actions: readonly CardAction[]): string[] {
  return [...new Set(actions.map((a) => a.command))];
}
