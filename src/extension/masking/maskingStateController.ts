import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { isMaskable, type MaskingController } from './maskingController';

/** Context key: masking is on for the active editor (menus pick the title button by it). */
export const CONTEXT_MASKING_ENABLED = 'rekey.maskingEnabled';

const STATUS_TEXT = '$(eye) Secrets visible';
const STATUS_TOOLTIP = 'rekey: secret masking is off, so .env values are shown on screen. Click to mask them again.';

/** What the masking state shows, for tests. */
export interface MaskingStateView {
  /** Masking is on for the active editor (or the window). */
  enabled: boolean;
  /** The value of the {@link CONTEXT_MASKING_ENABLED} context key last set. */
  contextKey: boolean;
  statusBar: { visible: boolean; text: string; tooltip: string };
}

/**
 * Makes the masking state visible: a context key that switches the editor title button between
 * **Show Secret Values** (eye, while masked) and **Mask Secret Values** (closed eye, while
 * shown), and a warning-coloured status bar item for as long as masking is off.
 */
export class MaskingStateController implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rekey.maskingOff', vscode.StatusBarAlignment.Left, 11);
  private readonly disposables: vscode.Disposable[] = [];
  private current: MaskingStateView = { enabled: true, contextKey: true, statusBar: { visible: false, text: '', tooltip: '' } };

  constructor(
    private readonly masking: MaskingController,
    private readonly services: ExtensionServices,
  ) {
    this.item.name = 'rekey secret masking';
    this.item.text = STATUS_TEXT;
    this.item.tooltip = STATUS_TOOLTIP;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.command = 'rekey.maskValues';
    this.disposables.push(
      this.item,
      masking.onDidChangeState(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      services.model.onDidChange(() => this.update()),
    );
    this.update();
  }

  get state(): MaskingStateView {
    return { ...this.current, statusBar: { ...this.current.statusBar } };
  }

  /** Turns masking on or off for the active editor (the Show/Mask Secret Values commands). */
  set(on: boolean): boolean {
    if (this.masking.isEnabled(vscode.window.activeTextEditor?.document.uri) !== on) this.masking.toggle();
    this.update();
    return on;
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    const enabled = this.masking.isEnabled(editor?.document.uri);
    const relevant = (editor !== undefined && isMaskable(editor.document)) || this.services.model.files().length > 0;
    const visible = !enabled && relevant;
    if (visible) this.item.show();
    else this.item.hide();
    if (this.current.contextKey !== enabled || !this.initialized) void vscode.commands.executeCommand('setContext', CONTEXT_MASKING_ENABLED, enabled);
    this.initialized = true;
    this.current = { enabled, contextKey: enabled, statusBar: { visible, text: STATUS_TEXT, tooltip: STATUS_TOOLTIP } };
  }

  private initialized = false;

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
