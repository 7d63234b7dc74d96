/** A finding's message split for a Problems panel: one short line, the rest as detail. */
export interface MessageParts {
  /** One line, no markdown backticks. */
  summary: string;
  /** The remaining sentences (advice, impact), when there are any. */
  detail?: string;
}

/** The text without markdown code spans, stray backticks or line breaks: the Problems panel shows them literally. */
export function plain(text: string): string {
  return text.replace(/`([^`\n]*)`/g, '$1').replace(/`/g, "'").replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Splits a message into its first sentence and the rest. The first sentence ends at `. `, `! `
 * or `? ` followed by a capital letter (so `e.g. the` and `v1.2` do not split).
 */
export function splitMessage(message: string): MessageParts {
  const text = plain(message);
  const m = /[.!?]\s+(?=[A-Z(])/.exec(text);
  if (!m) return { summary: text };
  const summary = text.slice(0, m.index + 1);
  const detail = text.slice(m.index + m[0].length).trim();
  return detail ? { summary, detail } : { summary };
}
