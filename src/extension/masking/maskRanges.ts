import { detectCommentedSecrets } from '../../core/detect/commentedSecrets';
import { detectSecrets } from '../../core/detect/detect';
import type { DetectOptions } from '../../core/detect/types';
import { parseEnv } from '../../core/env/parse';
import { maskedValueRange } from '../../core/env/urlCredential';
import type { Range } from '../../core/text/lineIndex';

/** Where a secret value sits in a text. Value-free. */
export interface MaskTarget {
  key: string;
  /** What the mask hides: the raw value (quotes included), or only the credential of a URL. */
  range: Range;
}

/** Texts larger than this are not judged on each keystroke (real `.env` files are a few KiB). */
export const MAX_MASKED_TEXT = 4 * 1024 * 1024;

/**
 * The values to hide in a `.env`-family text: every entry detection calls a secret, suppressed
 * ones included (a `# rekey-ignore` silences warnings, it does not make a value public), every
 * definition of a duplicated key (an earlier definition is as secret as the last one), empty
 * values left alone, and secrets in commented-out assignments.
 */
export function maskTargets(text: string, options: DetectOptions): MaskTarget[] {
  const parsed = parseEnv(text);
  const secretKeys = new Set(detectSecrets(parsed, text, options).map((s) => s.entry.key));
  const out: MaskTarget[] = [];
  for (const e of parsed.entries) {
    if (!secretKeys.has(e.key) || e.rawValue === '') continue;
    out.push({ key: e.key, range: maskedValueRange(e) });
  }
  // Commented-out assignments (`# API_KEY=…`) hold values as real as live ones.
  const commented = detectCommentedSecrets(text);
  if (commented.length === 0) return out;
  for (const c of commented) out.push({ key: c.key, range: c.valueRange });
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
