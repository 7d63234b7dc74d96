import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { parseEnv } from '../../core/env/parse';
import { findUrlPassword } from '../../core/rotation/urlPassword';
import { Fingerprinter } from '../../core/state/fingerprint';
import type { Notifier } from '../notifier';
import type { Prompter } from '../prompter';

/*
 * Copy New Value: the value a rotation just wrote, put on the clipboard for a step that needs it
 * outside the editor (a database prompt, a secrets manager), then taken off again. Nothing here
 * keeps the value: a rotation leaves a fingerprint (with a key made for this session only), and
 * Copy reads the value back from the file, copying it only while the file still holds exactly
 * what rekey wrote. Clearing compares the clipboard's fingerprint the same way, so whatever the
 * user copied since is left alone.
 */

/** A rotation whose new value can be copied. Value-free. */
interface Rotated {
  file: string;
  key: string;
  /** Keys that may hold the new value (the key, `KEY_NEW`, the framework's previous-secret key). */
  candidates: string[];
  fingerprint: string;
  at: number;
}

/** What Copy New Value did; value-free. */
export interface CopyResult {
  copied: boolean;
  key?: string;
  /** The key whose entry the value was read from. */
  from?: string;
  /** Seconds until the clipboard is emptied (0: not emptied). */
  clearAfterSeconds?: number;
  reason?: 'none' | 'cancelled' | 'changed';
}

/** The context key that shows Copy New Value in the Command Palette. */
const CONTEXT_KEY = 'rekey.hasNewValue';

export class NewValueClipboard implements vscode.Disposable {
  /** Session-only key: these fingerprints are never written anywhere. */
  private readonly fp = new Fingerprinter(randomBytes(32));
  private readonly rotated = new Map<string, Rotated>();
  private clearTimer: NodeJS.Timeout | undefined;
  private copied: string | undefined;

  constructor(
    private readonly deps: { logger: Logger; notifier: Notifier; prompter: Prompter; clearAfterSeconds: () => number },
  ) {}

  /** Remembers that `key` in `file` was just rotated to `newValue` (only its fingerprint is kept). */
  remember(file: string, key: string, candidates: string[], newValue: string): void {
    this.rotated.set(`${file}\0${key}`, { file, key, candidates: [...new Set([key, ...candidates])], fingerprint: this.fp.of(newValue), at: Date.now() });
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, true);
  }

  /** Whether `key` in `file` was rotated in this session (its new value can be copied). */
  has(file: string, key: string): boolean {
    return this.rotated.has(`${file}\0${key}`);
  }

  /** The command: copies the new value of the rotation named by `arg` (`{ uri, key }`), or asks which. */
  async copy(arg: unknown): Promise<CopyResult> {
    const r = await this.choose(arg);
    if (!r) return { copied: false, reason: this.rotated.size === 0 ? 'none' : 'cancelled' };
    const found = await this.readBack(r);
    if (!found) {
      void this.deps.notifier.warn(`rekey: ${r.key} in ${path.basename(r.file)} no longer holds the value rekey wrote (edited or undone), so nothing was copied.`);
      return { copied: false, key: r.key, reason: 'changed' };
    }
    await vscode.env.clipboard.writeText(found.value);
    const seconds = this.deps.clearAfterSeconds();
    this.scheduleClear(seconds, this.fp.of(found.value));
    this.deps.logger.info(`copied the new value of ${r.key} (from ${found.key}) to the clipboard${seconds > 0 ? `; it is cleared in ${seconds} s` : ''}`);
    void this.deps.notifier.info(
      seconds > 0
        ? `rekey: the new value of ${r.key} is on the clipboard for ${seconds} s. Paste it where the runbook says.`
        : `rekey: the new value of ${r.key} is on the clipboard. Paste it where the runbook says, then copy something else over it.`,
    );
    return { copied: true, key: r.key, from: found.key, clearAfterSeconds: seconds };
  }

  private async choose(arg: unknown): Promise<Rotated | undefined> {
    const a = arg && typeof arg === 'object' ? (arg as { uri?: unknown; key?: unknown }) : {};
    if (typeof a.key === 'string') {
      const file = a.uri instanceof vscode.Uri ? a.uri.fsPath : typeof a.uri === 'string' ? (a.uri.includes('://') || a.uri.startsWith('file:') ? vscode.Uri.parse(a.uri).fsPath : a.uri) : undefined;
      const hit = [...this.rotated.values()].find((r) => r.key === a.key && (file === undefined || r.file === file));
      if (hit) return hit;
    }
    const all = [...this.rotated.values()].sort((x, y) => y.at - x.at);
    if (all.length === 0) {
      void this.deps.notifier.info('rekey: Copy New Value copies the value of a secret rotated in this window; rotate one first (rekey: Rotate Secret).');
      return undefined;
    }
    if (all.length === 1) return all[0];
    const id = await this.deps.prompter.pick(
      all.map((r) => ({ id: `${r.file}\0${r.key}`, label: r.key, description: vscode.workspace.asRelativePath(r.file), detail: `rotated ${new Date(r.at).toLocaleTimeString()}` })),
      'Copy the new value of which secret?',
      { title: 'rekey: Copy New Value' },
    );
    return id ? this.rotated.get(id) : undefined;
  }

  /** The value rekey wrote, read back from the file (open buffer first), if it is still there. */
  private async readBack(r: Rotated): Promise<{ key: string; value: string } | undefined> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === r.file);
    const text = doc ? doc.getText() : await fs.readFile(r.file, 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const entries = parseEnv(text).entries;
    for (const key of r.candidates) {
      const entry = entries.filter((e) => e.key === key).pop();
      if (!entry) continue;
      if (this.fp.of(entry.value) === r.fingerprint) return { key, value: entry.value };
      const url = findUrlPassword(entry.value);
      if (url && this.fp.of(url.decoded) === r.fingerprint) return { key, value: url.decoded };
    }
    return undefined;
  }

  private scheduleClear(seconds: number, fingerprint: string): void {
    if (this.clearTimer) clearTimeout(this.clearTimer);
    this.clearTimer = undefined;
    this.copied = undefined;
    if (seconds <= 0) return;
    // Only the fingerprint waits for the deadline, not the value.
    this.copied = fingerprint;
    this.clearTimer = setTimeout(() => void this.clearIfStillCopied(), seconds * 1000);
  }

  private async clearIfStillCopied(): Promise<void> {
    this.clearTimer = undefined;
    const expected = this.copied;
    this.copied = undefined;
    if (expected === undefined) return;
    const now = await vscode.env.clipboard.readText();
    if (this.fp.of(now) === expected) {
      await vscode.env.clipboard.writeText('');
      this.deps.logger.info('cleared the clipboard (it still held the copied value)');
    } else {
      this.deps.logger.info('left the clipboard alone (something else was copied since)');
    }
  }

  dispose(): void {
    if (this.clearTimer) {
      clearTimeout(this.clearTimer);
      // Best effort on the way out: do not leave the value behind.
      void this.clearIfStillCopied();
    }
    this.rotated.clear();
  }
}
