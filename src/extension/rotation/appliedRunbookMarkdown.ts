import { sectionBody, type Runbook, type RunbookItem } from '../../core/rotation/runbooks/renderRunbook';

/*
 * The runbook shown after Rotate Secret applied a rotation in the editor: core's runbook built
 * for an applied rotation, laid out with what rekey already did marked done, and a pointer to
 * Copy New Value wherever a step needs the new value outside the editor. (The Markdown preview
 * does not run command links, so the pointer names the notification button and the command.)
 */

export interface AppliedRunbookOptions {
  /** Seconds the clipboard keeps a copied value (0: not cleared). */
  clipboardSeconds: number;
}

const DONE = '✅ **Done by rekey.**';

/** Counts of done items and items needing the new value, for the summary and the notification. */
export function runbookProgress(rb: Runbook): { done: number; needsNewValue: number } {
  const items = rb.sections.flatMap((s) => s.items);
  return { done: items.filter((i) => i.done).length, needsNewValue: items.filter((i) => i.needsNewValue && !i.done).length };
}

function copyHint(seconds: number): string {
  const clear = seconds > 0 ? `; the clipboard is emptied after ${seconds} s if it still holds it` : '';
  return `> 📋 Needs the new value: **Copy New Value** (on rekey's notification, in the hover of the rotated entry, or **rekey: Copy New Value** in the Command Palette) puts it on the clipboard${clear}. Paste it where this step says, never on a command line.`;
}

/** Renders the applied runbook as Markdown. Value-free: it only lays out core's value-free items. */
export function renderAppliedRunbook(rb: Runbook, options: AppliedRunbookOptions): string {
  const progress = runbookProgress(rb);
  const decorate = (i: RunbookItem): string => {
    if (i.done) return `${DONE} ${i.text}`;
    if (i.needsNewValue) return `${i.text}\n\n${copyHint(options.clipboardSeconds)}`;
    return i.text;
  };
  const [title, ...rest] = rb.header;
  const status = `> **Applied.** rekey did ${progress.done} item${progress.done === 1 ? '' : 's'} of this runbook (marked ✅): nothing to run for those. What is left is yours, in order${progress.needsNewValue ? `; ${progress.needsNewValue} step${progress.needsNewValue === 1 ? ' needs' : 's need'} the new value (marked 📋)` : ''}.`;
  const sections = rb.sections.map((s, n) => `## ${n + 1}. ${s.title}\n\n${sectionBody(s, decorate)}\n\n`).join('');
  return `${[title ?? '', status, ...rest].join('\n\n')}\n\n${sections}${rb.closing}\n`;
}
