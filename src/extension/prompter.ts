import * as vscode from 'vscode';

/**
 * Modal confirmations and quick picks, behind one object so integration tests can answer them
 * (a modal dialog cannot be clicked from inside the extension host). Answers queued with
 * {@link Prompter.queueAnswers} are used first, in order; only the test API exposes that.
 */
export class Prompter {
  private readonly answers: Array<string | undefined> = [];
  private readonly asked: string[] = [];

  /** A modal question; resolves true only when the user picks `confirmLabel`. */
  async confirm(message: string, detail: string, confirmLabel: string): Promise<boolean> {
    const answer = this.answers.length
      ? this.answers.shift()
      : await vscode.window.showWarningMessage(message, { modal: true, detail }, confirmLabel);
    this.asked.push(message);
    return answer === confirmLabel;
  }

  /** A quick pick over labelled items; resolves the chosen item's id. */
  async pick<T extends string>(items: Array<{ id: T; label: string; description?: string; detail?: string }>, placeHolder: string): Promise<T | undefined> {
    this.asked.push(placeHolder);
    if (this.answers.length) {
      const answer = this.answers.shift();
      return items.find((i) => i.id === answer)?.id;
    }
    const picked = await vscode.window.showQuickPick(
      items.map((i) => ({ label: i.label, description: i.description, detail: i.detail, id: i.id })),
      { placeHolder, ignoreFocusOut: true },
    );
    return picked?.id;
  }

  /** Test hook: the next prompts resolve with these answers (a label, an item id, or undefined to cancel). */
  queueAnswers(answers: Array<string | undefined>): void {
    this.answers.push(...answers);
  }

  /** Test hook: what was asked so far (messages and placeholders, value-free). */
  questions(): string[] {
    return [...this.asked];
  }
}
