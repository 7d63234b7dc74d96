import * as vscode from 'vscode';
import { detectEntry } from '../../core/detect/detect';
import { parseEnv } from '../../core/env/parse';
import type { EnvEntry } from '../../core/env/types';
import { countConsumers } from '../../core/rotation/consumerCount';
import { findLinkedEntries, type LinkedEntry, type LinkSearchFile } from '../../core/rotation/linked';
import { findUrlPassword } from '../../core/rotation/urlPassword';
import { toRange } from '../convert';
import { MASK_TEXT, type MaskingController } from '../masking/maskingController';
import type { ExtensionServices } from '../services';
import { backupOf } from '../model/findingFacts';
import { actionLinks, enabledCommands, secretCardActions } from './commandLinks';
import { hoverMarkdown, type HoverFacts } from './hoverMarkdown';


/** How long a hover waits for the first consumer count of a key before saying it is still counting. */
const CONSUMER_WAIT_MS = 1500;

/**
 * The hover on a `.env` entry that holds a secret: kind, confidence, age and its source, the
 * rotation interval, exposures in history, linked keys, the number of places that read it, and
 * the value masked. Command links come first: Rotate, Open Runbook, Show Consumers, Restore from
 * Backup (when the value differs from one) and Reveal (while masked); only those may run.
 */
export class SecretHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly services: ExtensionServices,
    private readonly masking: MaskingController,
  ) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const { model } = this.services;
    const text = doc.getText();
    const analysis = model.get(doc.uri);
    const parsed = analysis?.parsed && analysis.version === doc.version ? analysis.parsed : parseEnv(text);
    const entry = lastAt(parsed.entries, position);
    if (!entry) return undefined;
    const secret =
      (analysis?.version === doc.version ? analysis.secrets.find((s) => s.entry.key === entry.key && s.entry.index === entry.index) : undefined) ??
      detectEntry(entry, text, model.detectOptions(doc.uri));
    if (!secret) return undefined;

    const files: LinkSearchFile[] = model
      .files()
      .filter((f) => f.parsed && f.folder?.uri.toString() === analysis?.folder?.uri.toString())
      .map((f) => ({ path: f.uri.fsPath, role: f.role, text: '', parsed: f.uri.toString() === doc.uri.toString() ? parsed : f.parsed! }));
    if (!files.some((f) => f.path === doc.uri.fsPath)) files.push({ path: doc.uri.fsPath, role: analysis?.role ?? 'env', text: '', parsed });
    const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(entry.value) ? findUrlPassword(entry.value) : undefined;
    const secretText = url ? url.decoded : entry.value;
    let linked: LinkedEntry[] = [];
    if (secretText !== '') linked = findLinkedEntries({ file: doc.uri.fsPath, entry, secret: secretText }, files);

    let consumers: HoverFacts['consumers'];
    if (doc.uri.scheme === 'file' && analysis) {
      let timer: NodeJS.Timeout | undefined;
      const scan = await Promise.race([
        model.consumersOf(doc.uri, entry.key, token),
        new Promise<'pending'>((resolve) => {
          timer = setTimeout(() => resolve('pending'), CONSUMER_WAIT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
      if (token.isCancellationRequested) return undefined;
      if (scan === 'pending') consumers = { pending: true };
      else if (scan) {
        const { count, summary } = countConsumers(scan.consumers, entry.key);
        consumers = { count, summary };
      }
    }

    const masked = this.masking.isEnabled(doc.uri);
    const facts: HoverFacts = {
      secret,
      valueLength: entry.value.length,
      findings: (analysis?.findings ?? []).filter((f) => f.key === entry.key),
      linked,
      consumers,
      mask: MASK_TEXT,
    };
    const fingerprint = await this.services.shortFingerprint(entry.value);
    if (fingerprint) facts.fingerprint = fingerprint;
    const age = analysis?.ages.get(entry.key);
    if (age) facts.age = age;
    const history = analysis?.folder ? model.history().find((h) => h.folder.uri.toString() === analysis.folder?.uri.toString()) : undefined;
    if (history) facts.history = history;
    const changed = facts.findings.find((f) => f.rule === 'changed-since-backup');
    const backup = changed ? backupOf(changed) : undefined;
    const copyNewValue = doc.uri.scheme === 'file' && this.services.newValues.has(doc.uri.fsPath, entry.key);
    const actions = secretCardActions(doc.uri, entry.key, { reveal: masked, ...(backup ? { backup } : {}), ...(copyNewValue ? { copyNewValue } : {}) });
    facts.actions = actionLinks(actions);
    const content = new vscode.MarkdownString(hoverMarkdown(facts));
    // Only the card's own commands may run from this hover; nothing else in it is trusted.
    content.isTrusted = { enabledCommands: enabledCommands(actions) };
    content.supportThemeIcons = false;
    content.supportHtml = false;
    return new vscode.Hover(content, toRange(entry.range));
  }
}

/** The entry whose text spans `position` (the last one, should entries share a line). */
function lastAt(entries: readonly EnvEntry[], position: vscode.Position): EnvEntry | undefined {
  let found: EnvEntry | undefined;
  for (const e of entries) {
    const r = e.range;
    const after = position.line > r.start.line || (position.line === r.start.line && position.character >= r.start.character);
    const before = position.line < r.end.line || (position.line === r.end.line && position.character <= r.end.character);
    if (after && before) found = e;
  }
  return found;
}
