import * as vscode from 'vscode';

/** One quick pick item; `id` is what the pick resolves to. */
export interface PickItem<T extends string> {
  id: T;
  label: string;
  description?: string;
  detail?: string;
}

/** How a quick pick is framed: a short `title` above the input, the question as its placeholder. */
export interface PickOptions {
  title?: string;
}

/**
 * Modal confirmations and quick picks, behind one object so integration tests can answer them
 * (a modal dialog cannot be clicked from inside the extension host). Answers queued with
 * {@link Prompter.queueAnswers} are used first, in order; only the test API exposes that.
 *
 * The placeholder of a quick pick is one line that VS Code cuts at the input's width, so callers
 * keep questions short and move explanations to item descriptions and details or to `title`.
 */
export class Prompter {
  private readonly answers: Array<string | undefined> = [];
  private readonly asked: string[] = [];
  /** Every text a prompt put on screen: questions, details, item labels and details. */
  private readonly texts: string[] = [];

  /** A modal question; resolves true only when the user picks `confirmLabel`. */
  async confirm(message: string, detail: string, confirmLabel: string): Promise<boolean> {
    this.remember(message, detail, confirmLabel);
    const answer = this.answers.length
      ? this.answers.shift()
      : await vscode.window.showWarningMessage(message, { modal: true, detail }, confirmLabel);
    this.asked.push(message);
    return answer === confirmLabel;
  }

  /** A quick pick over labelled items; resolves the chosen item's id. */
  async pick<T extends string>(items: Array<PickItem<T>>, placeHolder: string, options: PickOptions = {}): Promise<T | undefined> {
    this.asked.push(options.title ? `${options.title}: ${placeHolder}` : placeHolder);
    this.remember(options.title ?? '', placeHolder, ...items.flatMap((i) => [i.label, i.description ?? '', i.detail ?? '']));
    if (this.answers.length) {
      const answer = this.answers.shift();
      return items.find((i) => i.id === answer)?.id;
    }
    const picked = await vscode.window.showQuickPick(
      items.map((i) => ({ label: i.label, description: i.description, detail: i.detail, id: i.id })),
      { placeHolder, ignoreFocusOut: true, ...(options.title ? { title: options.title } : {}) },
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

  /** Test hook: every text the prompts showed (questions, details, items), for never-leak checks. */
  shownTexts(): string[] {
    return [...this.texts];
  }

  private remember(...texts: string[]): void {
    for (const t of texts) if (t !== '') this.texts.push(t);
    if (this.texts.length > 2000) this.texts.splice(0, this.texts.length - 2000);
  }
}
