import * as vscode from 'vscode';
import { needsAttention, STATUS_LABEL, type SecretStatus, type SecretSummary } from '../tree/secretStatus';

/** What the status bar item shows, for tests. */
export interface StatusBarState {
  visible: boolean;
  text: string;
  tooltip: string;
}

/**
 * `$(key) 3`: how many secrets need attention (leaked, changed, overdue, due soon). Clicking it
 * opens the Secrets view. Hidden when the workspace has no `.env` files.
 */
export class StatusBarController implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private current: StatusBarState = { visible: false, text: '', tooltip: '' };

  constructor(openViewCommand: string) {
    this.item = vscode.window.createStatusBarItem('rekey.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'rekey secrets';
    this.item.command = openViewCommand;
  }

  get state(): StatusBarState {
    return { ...this.current };
  }

  update(summaries: readonly SecretSummary[], hasEnvFiles: boolean): void {
    if (!hasEnvFiles) {
      this.item.hide();
      this.current = { visible: false, text: '', tooltip: '' };
      return;
    }
    const live = summaries.filter((s) => !s.suppressed);
    // countAttention's set, as the Secrets view badge counts it.
    const attention = live.filter(needsAttention);
    const counts = new Map<SecretStatus, number>();
    for (const s of attention) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    const text = attention.length > 0 ? `$(key) ${attention.length}` : '$(key)';
    const lines = [`rekey: ${live.length} secret${live.length === 1 ? '' : 's'}, ${attention.length} need${attention.length === 1 ? 's' : ''} attention`];
    for (const status of ['leaked', 'changed', 'overdue', 'due-soon'] as const) {
      const n = counts.get(status);
      if (n) lines.push(`${STATUS_LABEL[status]}: ${n}`);
    }
    lines.push('Click to open the Secrets view');
    const tooltip = lines.join('\n');
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: lines[0] as string };
    const urgent = (counts.get('leaked') ?? 0) + (counts.get('changed') ?? 0);
    this.item.backgroundColor = urgent > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
    this.current = { visible: true, text, tooltip };
  }

  dispose(): void {
    this.item.dispose();
  }
}
