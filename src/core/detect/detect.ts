import { KINDS } from '../catalog/kinds';
import type { KindId } from '../catalog/types';
import type { EnvEntry, ParsedEnv } from '../env/types';
import type { Confidence } from '../findings/finding';
import { annotationsFromComments } from './annotations';
import { entryComments } from './comments';
import { configValue } from './config';
import { judgeValue, type JudgeContext } from './judge';
import { isPairSecret, splitWords } from './names';
import { placeholderReason } from './placeholders';
import { findSuppression } from './suppressions';
import type { DetectedSecret, DetectOptions, Evidence } from './types';

/*
 * Entry-level detection: the value's judgement (judge.ts) plus what surrounds the entry: its
 * comments (suppressions, `# rekey:` annotations), the workspace config and hints from the
 * code that consumes the key. Precedence for the kind: annotation, config (`path:KEY`, then
 * `KEY`), consumer hint, then inference. For the interval: annotation, config by key, config by
 * kind, the name's own interval (metrics tokens), then the catalog default.
 */

/** A comment directly above saying the value itself is ciphertext ("# This is encrypted"). */
const ENCRYPTED_COMMENT = /\b(?:this|value|it)\s+is\s+encrypted\b|^\s*encrypted\s*$/i;

interface FileContext {
  /** End offset of the previous entry, so comment lines inside its value are not read. */
  floor: number;
  judge: JudgeContext;
}

/** A pair check over the keys of a file, computed on first use. */
function pairChecker(keys: () => Iterable<string>): (prefix: string[]) => boolean {
  let words: string[][] | undefined;
  return (prefix) => {
    words ??= [...keys()].map(splitWords);
    return words.some((w) => isPairSecret(prefix, w));
  };
}

const KEY_AT_LINE_START = /^[ \t]*(?:export[ \t]+)?([\w.-]+)[ \t]*[=:]/gm;

function keysInText(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(KEY_AT_LINE_START)) out.push(m[1]!);
  return out;
}

function judgeEntry(entry: EnvEntry, text: string, options: DetectOptions, file: FileContext): DetectedSecret | undefined {
  const comments = entryComments(text, entry, file.floor);
  const notes = annotationsFromComments(comments);
  const config = options.config;
  const rel = options.relativePath;
  const j = judgeValue(entry.key, entry.value, file.judge);
  if (j.secret && comments.above[0] !== undefined && ENCRYPTED_COMMENT.test(comments.above[0])) return undefined;

  const hint = options.kindHints?.get(entry.key);
  const configKind = configValue(config?.kinds, rel, entry.key);
  const explicitKind: KindId | undefined = notes.kind ?? configKind ?? hint?.kind;
  // The judgement's evidence list is used as is unless something is added to it.
  let evidence: Evidence[] = j.secret ? j.evidence : [];
  const explicit: Evidence | undefined = notes.kind
    ? { source: 'annotation', detail: `# rekey: kind=${notes.kind}`, confidence: 'high' }
    : configKind
      ? { source: 'config', detail: `kind set to ${configKind} in the workspace config`, confidence: 'high' }
      : hint
        ? { source: 'consumer', detail: hint.detail, confidence: 'high' }
        : undefined;
  if (explicit) evidence = [explicit, ...evidence];

  let confidence: Confidence;
  if (j.secret) {
    confidence = explicitKind ? 'high' : j.confidence;
  } else {
    // An explicit kind makes a value a secret unless it is a stand-in (empty, placeholder, reference).
    if (!explicitKind || j.standIn || placeholderReason(entry.value) !== undefined) return undefined;
    confidence = 'high';
  }
  const kind: KindId = explicitKind ?? j.kind ?? 'generic-secret';
  const intervalDays =
    notes.intervalDays ??
    configValue(config?.intervals, rel, entry.key) ??
    config?.intervals?.[kind] ??
    (kind === j.kind ? j.intervalDays : undefined) ??
    KINDS[kind].intervalDays;
  if (notes.intervalDays !== undefined) {
    evidence = [...evidence, { source: 'annotation', detail: `# rekey: rotate every ${notes.intervalDays} days`, confidence: 'high' }];
  }

  const out: DetectedSecret = { entry, kind, confidence, intervalDays, evidence };
  if (j.secret && j.provider) out.provider = j.provider;
  const suppressed = findSuppression(comments, entry.key, config, rel) ?? (notes.ignore ? { by: 'rekey: ignore' } : undefined);
  if (suppressed) out.suppressed = suppressed;
  return out;
}

/**
 * Judges one entry: a secret of some kind, or `undefined`. `text` is the file's text, used for
 * suppression and annotation comments above the entry and to find the other half of credential
 * pairs (`AWS_ACCESS_KEY_ID` is a secret only next to `AWS_SECRET_ACCESS_KEY`).
 */
export function detectEntry(entry: EnvEntry, text: string, options: DetectOptions = {}): DetectedSecret | undefined {
  return judgeEntry(entry, text, options, { floor: 0, judge: { hasPairSecret: pairChecker(() => keysInText(text)) } });
}

/**
 * Every secret in a parsed file, in entry order. Only the last definition of a duplicated key
 * counts (it is the one dotenv uses). Suppressed entries are included with `suppressed` set.
 * Linear in the file's size.
 */
export function detectSecrets(parsed: ParsedEnv, text: string, options: DetectOptions = {}): DetectedSecret[] {
  // The parser reports every repeated key; only those need a "last definition" lookup.
  const repeated = new Set<string>();
  for (const p of parsed.problems) if (p.code === 'duplicate-key' && p.key !== undefined) repeated.add(p.key);
  const lastOfRepeated = new Map<string, EnvEntry>();
  if (repeated.size) for (const e of parsed.entries) if (repeated.has(e.key)) lastOfRepeated.set(e.key, e);
  const file: FileContext = { floor: 0, judge: { hasPairSecret: pairChecker(() => parsed.entries.map((e) => e.key)) } };
  const out: DetectedSecret[] = [];
  for (const e of parsed.entries) {
    if (!repeated.size || !repeated.has(e.key) || lastOfRepeated.get(e.key) === e) {
      const s = judgeEntry(e, text, options, file);
      if (s) out.push(s);
    }
    file.floor = e.end;
  }
  return out;
}

export { judgeValue } from './judge';
