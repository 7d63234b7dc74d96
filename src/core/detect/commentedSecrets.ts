import type { KindId } from '../catalog/types';
import type { Confidence } from '../findings/finding';
import type { Range } from '../text/lineIndex';
import { judgeValue } from './judge';
import type { Evidence } from './types';

/*
 * Secrets in commented-out assignments: `# STRIPE_SECRET_KEY=sk_live_…`. dotenv ignores the
 * line, but it is committed and shared with the file like any other, so the value is as exposed
 * as a live one. Only the shape `# KEY=value` counts (optionally `export`), so prose comments
 * (`# set KEY to your key`) and annotations (`# rekey: …`) are never read as assignments.
 */

/** A secret found in a commented-out assignment. Value-free apart from its position. */
export interface CommentedSecret {
  key: string;
  kind: KindId;
  confidence: Confidence;
  provider?: string;
  evidence: Evidence[];
  /** 0-based range of the key in the comment. */
  keyRange: Range;
  /** 0-based range of the value (quotes included): what the editor masks. */
  valueRange: Range;
}

const COMMENTED_ASSIGNMENT = /^([ \t]*#+[ \t]*(?:export[ \t]+)?)([A-Za-z_][A-Za-z0-9_.]*)([ \t]*=[ \t]*)(.*)$/;

/** The raw value text after `=`: a quoted string up to its closing quote, or up to an inline ` #`. */
function rawValue(rest: string): { raw: string; value: string } | undefined {
  const q = rest[0];
  if (q === '"' || q === "'" || q === '`') {
    const end = rest.indexOf(q, 1);
    if (end === -1) return undefined;
    return { raw: rest.slice(0, end + 1), value: rest.slice(1, end) };
  }
  const hash = rest.search(/[ \t]#/);
  const raw = (hash === -1 ? rest : rest.slice(0, hash)).trimEnd();
  return { raw, value: raw };
}

/**
 * Every commented-out assignment in `text` whose value detection calls a secret, in line order.
 * Linear in the text's length; the values themselves never leave this function.
 */
export function detectCommentedSecrets(text: string): CommentedSecret[] {
  const out: CommentedSecret[] = [];
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    // Most lines are not comments: look at the first non-blank character before anything else.
    let i = start;
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (text.charCodeAt(i) === 35) {
      const lineText = text.slice(start, text.charCodeAt(end - 1) === 13 ? end - 1 : end);
      const m = COMMENTED_ASSIGNMENT.exec(lineText);
      const parsed = m && !/^[ \t]*#+[ \t]*rekey/.test(lineText) ? rawValue(m[4]!) : undefined;
      if (m && parsed && parsed.value !== '') {
        const j = judgeValue(m[2]!, parsed.value);
        if (j.secret) {
          const keyAt = m[1]!.length;
          const valueAt = keyAt + m[2]!.length + m[3]!.length;
          const s: CommentedSecret = {
            key: m[2]!,
            kind: j.kind ?? 'generic-secret',
            confidence: j.confidence,
            evidence: j.evidence,
            keyRange: { start: { line, character: keyAt }, end: { line, character: keyAt + m[2]!.length } },
            valueRange: { start: { line, character: valueAt }, end: { line, character: valueAt + parsed.raw.length } },
          };
          if (j.provider) s.provider = j.provider;
          out.push(s);
        }
      }
    }
    if (end === text.length) break;
    start = end + 1;
    line++;
  }
  return out;
}
