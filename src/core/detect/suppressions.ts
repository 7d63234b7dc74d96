import type { DetectConfig } from './types';
import type { EntryComments } from './comments';
import { configLookup } from './config';

/*
 * Ways to say "this is not a secret" or "I know, leave it": rekey's own `# rekey-ignore`
 * (optionally `# rekey-ignore: reason`) and the markers users already have from other
 * scanners. A marker counts on the entry's own line (inline comment) or on the line directly
 * above it. The workspace config can mark keys as not secret. All of it is by key and file.
 */

export interface Suppression {
  /** What suppressed it: `rekey-ignore`, `gitleaks:allow`, `config`, ... */
  by: string;
  reason?: string;
}

const MARKERS: Array<{ re: RegExp; by: string }> = [
  { re: /(?:^|\s)rekey-ignore(?:\s*:\s*(.*))?$/i, by: 'rekey-ignore' },
  { re: /gitleaks:allow/i, by: 'gitleaks:allow' },
  { re: /pragma:\s*allowlist[ -]secret/i, by: 'pragma: allowlist secret' },
  { re: /secretlint-disable(?:-next)?-line/i, by: 'secretlint-disable-line' },
  { re: /trufflehog:ignore/i, by: 'trufflehog:ignore' },
];

/** The suppression marker in one comment's text, if any. */
export function suppressionInComment(comment: string): Suppression | undefined {
  for (const { re, by } of MARKERS) {
    const m = re.exec(comment);
    if (m) {
      const reason = m[1]?.trim();
      return reason ? { by, reason } : { by };
    }
  }
  return undefined;
}

/**
 * Whether the entry is suppressed by a comment (its inline comment, or the line directly above)
 * or by the workspace config's `notSecret` list.
 */
export function findSuppression(comments: EntryComments, key: string, config: DetectConfig | undefined, relativePath: string | undefined): Suppression | undefined {
  const inline = comments.inline !== undefined ? suppressionInComment(comments.inline) : undefined;
  if (inline) return inline;
  const above = comments.above[0];
  const onAbove = above !== undefined ? suppressionInComment(above) : undefined;
  if (onAbove) return onAbove;
  if (config?.notSecret?.length) {
    const hit = configLookup(config.notSecret, relativePath, key);
    if (hit !== undefined) return { by: 'config', reason: `listed as not secret (${hit})` };
  }
  return undefined;
}
