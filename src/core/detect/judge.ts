import type { KindId } from '../catalog/types';
import type { Confidence } from '../findings/finding';
import { describeEntropy, MIN_RANDOM_LENGTH, type EntropyInfo } from './entropy';
import { analyzeKeyName, kindFromKeyword, nameKind, type NameInfo } from './names';
import { notAValueReason, placeholderReason } from './placeholders';
import { matchProvider, PROVIDER_BIGRAMS, truncatedPrefix } from './providers';
import type { Evidence } from './types';
import { kindForScheme, parseUrlValue } from './urlCredentials';
import { CH_AT, CH_BACKSLASH, CH_COLON, CH_DOT, CH_EQ, CH_LBRACKET, CH_SEMI, CH_SLASH, CH_SPACE, profileValue, type ValueProfile } from './valueProfile';

/*
 * Combines the evidence about one key/value pair into a verdict. Order, strongest first:
 * provider formats, credentials in URLs and connection strings, stand-ins (placeholders,
 * references, encrypted values), then the key name boosted by entropy. Comments, config and
 * consumer hints are applied on top of this by detect.ts.
 */

export interface Judgement {
  secret: boolean;
  /** Inferred kind (secrets only). */
  kind?: KindId;
  /** A rotation interval specific to this secret (e.g. metrics scrape tokens: 180 days). */
  intervalDays?: number;
  confidence: Confidence;
  /** Provider rule id when a token format matched. */
  provider?: string;
  providerLabel?: string;
  /** Why: for secrets the supporting evidence, otherwise the reason it is not one. Value-free. */
  evidence: Evidence[];
  /** The value is a stand-in (empty, placeholder, reference, encrypted): nothing can make it a secret. */
  standIn?: boolean;
}

export interface JudgeContext {
  /**
   * Whether the same file defines the secret half of a credential pair whose identifier half
   * has these leading name words (`AWS` for `AWS_ACCESS_KEY_ID` → `AWS_SECRET_ACCESS_KEY`).
   */
  hasPairSecret?: (prefixWords: string[]) => boolean;
}

/** Values that are ciphertext or pointers into a secret manager, not the secret. */
const ENCRYPTED_OR_REFERENCE: Array<[RegExp, string]> = [
  [/^encrypted:/, 'encrypted value (dotenvx)'],
  [/^ENC\[[A-Z0-9_]+,/, 'encrypted value (sops)'],
  [/^\$ANSIBLE_VAULT;/, 'encrypted value (Ansible Vault)'],
  [/^(?:op|bws|doppler|infisical|vault|sm|secretsmanager|aws-sm|gcp-sm|azure-kv|akv|keyvault|ssm):(?:\/\/|[a-z])/i, 'reference to a secret manager'],
];

const BOOLEAN_OR_WORD = /^(?:true|false|yes|no|on|off|y|n|enabled|disabled|enable|disable|debug|info|warn|warning|error|trace|fatal|silent|verbose|none|auto|strict|lax|production|development|staging|test|local)$/i;
const DURATION = /^\d+(?:\.\d+)?\s*(?:ms|s|sec|secs|m|min|mins|h|hr|hrs|d|day|days|w|wk|y)$/i;
const EMAIL = /^[^\s@:/]+@[^\s@:/]+\.[A-Za-z]{2,}$/;
const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?$/;
const HOSTNAME = /^(?=.*[a-z])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d{1,5})?$/i;
const PATH = /^(?:\.{1,2}\/|~\/|[A-Za-z]:\\|\/(?:etc|run|var|home|usr|opt|tmp|app|apps|data|secrets|srv|mnt|root|certs?|keys?|config|workspace|code|src)(?:\/|$))|^[\w./-]+\.(?:pem|key|crt|cer|json|p12|pfx|txt|env|ya?ml|conf|toml)$/;
const NUMBER = /^-?\d{1,7}(?:\.\d+)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONNECTION_PASSWORD = /(?:^|;)\s*(?:password|pwd|pass)\s*=\s*([^;]*)/i;

/** Why a value's shape says "configuration" rather than "secret" (booleans, numbers, paths...). */
function nonSecretShape(v: string, chars: number): string | undefined {
  if (v.length <= 11 && BOOLEAN_OR_WORD.test(v)) return 'a flag or setting word';
  const c = v.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45) {
    if (NUMBER.test(v)) return 'a number';
    if (DURATION.test(v)) return 'a duration';
  }
  const dot = (chars & CH_DOT) !== 0;
  if (chars & CH_AT) return dot && EMAIL.test(v) ? 'an e-mail address' : undefined;
  if (dot && IPV4.test(v)) return 'an IP address';
  if (dot && HOSTNAME.test(v) && !/[A-Z]/.test(v)) return 'a host name';
  if (chars & (CH_DOT | CH_SLASH | CH_BACKSLASH) && PATH.test(v)) return 'a file path';
  return undefined;
}

/*
 * Evidence objects are shared and frozen: a scan of a large file keeps one object per distinct
 * (source, detail, confidence), not one per entry, which keeps garbage collection out of the
 * detection budget.
 */
const evidenceCache = new Map<string, Evidence>();

/** A shared, frozen evidence object. */
export function evidenceOf(source: Evidence['source'], detail: string, confidence: Confidence): Evidence {
  const id = `${source}|${confidence}|${detail}`;
  let e = evidenceCache.get(id);
  if (!e) {
    if (evidenceCache.size > 5000) evidenceCache.clear();
    e = Object.freeze({ source, detail, confidence });
    evidenceCache.set(id, e);
  }
  return e;
}

const keywordEvidence: Record<Confidence, Map<string, Evidence>> = { high: new Map(), medium: new Map(), low: new Map() };

function nameEvidence(word: string, confidence: Confidence): Evidence {
  const cache = keywordEvidence[confidence];
  let e = cache.get(word);
  if (!e) {
    e = Object.freeze({ source: 'name' as const, detail: `key name contains ${word}`, confidence });
    if (cache.size > 1000) cache.clear();
    cache.set(word, e);
  }
  return e;
}

const entropyEvidenceCache = new Map<number, Evidence>();
const ALPHABET_INDEX = { hex: 0, base64: 1, base64url: 2, alphanumeric: 3, printable: 4 } as const;

/** Entropy evidence, shared per (alphabet, bits rounded to 0.1, length, confidence). */
function entropyEvidence(info: EntropyInfo, confidence: Confidence, suffix = ''): Evidence {
  const id = (((ALPHABET_INDEX[info.alphabet] * 100 + Math.round(info.bitsPerChar * 10)) * 100_000 + info.length) * 4 + (confidence === 'high' ? 2 : confidence === 'medium' ? 1 : 0)) * 2 + (suffix ? 1 : 0);
  let e = entropyEvidenceCache.get(id);
  if (!e) {
    e = Object.freeze({ source: 'entropy' as const, detail: describeEntropy(info) + suffix, confidence });
    if (entropyEvidenceCache.size > 5000) entropyEvidenceCache.clear();
    entropyEvidenceCache.set(id, e);
  }
  return e;
}

const weakDetails = new Map<string, string>();

/** "Weak keyword but the value does not look random", one string per keyword. */
function weakKeywordDetail(word: string): string {
  let d = weakDetails.get(word);
  if (d === undefined) {
    d = `key name contains only the weak keyword ${word} and the value does not look random`;
    if (weakDetails.size > 200) weakDetails.clear();
    weakDetails.set(word, d);
  }
  return d;
}

/** One profile object reused for every value (judging is synchronous; nothing keeps it). */
const scratchProfile: ValueProfile = { chars: 0, dots: 0, prefixAt: -1, shapeHint: false, templateChars: false, maybeDegenerate: false, distinct: 0, entropy: undefined, hasEntropy: false };

const NO_EVIDENCE_DETAIL = 'no secret keyword in the key name and no known token format';

const notSecretCache = new Map<string, Judgement>();

/** A (shared, frozen) "not a secret" verdict; the reasons repeat, so they are cached. */
function notSecret(source: Evidence['source'], detail: string, standIn = false): Judgement {
  // Distinct reasons are few (a fixed set of messages, plus labels and URL schemes).
  let j = notSecretCache.get(detail);
  if (!j || j.evidence[0]!.source !== source || Boolean(j.standIn) !== standIn) {
    j = { secret: false, confidence: 'low', evidence: Object.freeze([evidenceOf(source, detail, 'high')]) as Evidence[] };
    if (standIn) j.standIn = true;
    Object.freeze(j);
    if (notSecretCache.size > 2000) notSecretCache.clear();
    notSecretCache.set(detail, j);
  }
  return j;
}

/** The most common verdict, shared (frozen). */
const NO_EVIDENCE: Judgement = Object.freeze({ secret: false, confidence: 'low' as const, evidence: Object.freeze([evidenceOf('name', NO_EVIDENCE_DETAIL, 'high')]) as Evidence[] });

function secretByName(names: NameInfo, confidence: Confidence, evidence: Evidence[]): Judgement {
  const k = nameKind(names) ?? (names.keyword ? kindFromKeyword(names) : { kind: 'generic-secret' as const, detail: 'secret' });
  const j: Judgement = { secret: true, kind: k.kind, confidence, evidence };
  if (k.intervalDays !== undefined) j.intervalDays = k.intervalDays;
  return j;
}



/**
 * Judges a value under a key name (the key may be empty for bare tokens). Never throws;
 * linear in the value's length. Evidence details never contain the value. The result may be
 * shared between calls (verdicts repeat): treat it as read-only.
 */
export function judgeValue(key: string, value: string, ctx: JudgeContext = {}): Judgement {
  // `trim()` copies; most values have nothing to trim.
  const v = value.length > 0 && (value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32) ? value.trim() : value;
  if (v === '') return notSecret('placeholder', 'empty value', true);
  const names = analyzeKeyName(key);
  const profile = profileValue(v, PROVIDER_BIGRAMS, scratchProfile);
  const chars = profile.chars;

  // 1. Provider token formats.
  // Most values have no prefix, no shape hint and a name no name-gated rule keys on: skip.
  const pm = profile.prefixAt !== -1 || profile.shapeHint || profile.dots >= 2 || names.providerWord ? matchProvider(v, names, profile) : undefined;
  if (pm) {
    const label = pm.rule.label;
    if (pm.verdict === 'public') return notSecret('provider', `${label}: ${pm.detail ?? 'public by design'}`);
    if (pm.verdict === 'placeholder') return notSecret('placeholder', `${label}: ${pm.detail ?? 'template'}`, true);
    if (pm.verdict === 'identifier') {
      if (names.pairPrefix && ctx.hasPairSecret?.(names.pairPrefix)) {
        const j = secretByName(names, 'medium', [evidenceOf('provider', `${label}, paired with its secret in this file`, 'medium')]);
        j.kind = pm.rule.kind;
        j.provider = pm.rule.id;
        j.providerLabel = label;
        return j;
      }
      return notSecret('provider', `${label}: ${pm.detail ?? 'an identifier'}`);
    }
    if (names.clientExposed && pm.clientSafe) {
      return notSecret('name', `${label} in a ${names.clientExposed} variable, which is shipped to browsers by design`);
    }
    // A token whose checksum fails has the shape but was not issued by the provider as is.
    const confidence: Confidence = pm.degenerate ? 'low' : pm.checksum === 'invalid' ? 'medium' : 'high';
    const evidence: Evidence[] = [evidenceOf('provider', pm.detail ? `${label} (${pm.detail})` : label, confidence)];
    if (pm.degenerate) evidence.push(evidenceOf('placeholder', `token body looks like a test value (${pm.degenerate})`, 'medium'));
    const fromName = pm.rule.kindFromName ? nameKind(names) : undefined;
    const j: Judgement = { secret: true, kind: fromName?.kind ?? pm.rule.kind, confidence, provider: pm.rule.id, providerLabel: label, evidence };
    if (fromName?.intervalDays) j.intervalDays = fromName.intervalDays;
    return j;
  }

  // 2. Encrypted values and secret-manager references (all contain `:` or `[`).
  if (chars & (CH_COLON | CH_LBRACKET)) {
    for (const [re, why] of ENCRYPTED_OR_REFERENCE) if (re.test(v)) return notSecret('placeholder', why, true);
  }

  // 3. Connection strings (`Server=…;Password=…`) and URLs.
  if ((chars & (CH_EQ | CH_SEMI)) === (CH_EQ | CH_SEMI)) {
    const cs = CONNECTION_PASSWORD.exec(v);
    if (cs) {
      const pw = (cs[1] ?? '').trim();
      const ph = placeholderReason(pw) ?? (pw.length < 4 ? 'too short to be a credential' : undefined);
      if (ph) return notSecret('placeholder', `connection string with a placeholder password (${ph})`, true);
      return { secret: true, kind: 'connection-url', confidence: pw.length < 8 ? 'low' : 'high', evidence: [evidenceOf('url', 'connection string with a password', 'high')] };
    }
  }
  if ((chars & (CH_COLON | CH_SLASH)) === (CH_COLON | CH_SLASH) && v.includes('://')) {
    const url = parseUrlValue(v);
    if (url) {
      const c = url.credential;
      if (!c) return notSecret('url', `${url.scheme} URL without credentials`);
      const where = c.where === 'userinfo' ? 'a password' : c.where === 'query' ? `a ${c.param ?? 'credential'} parameter` : 'a token as user name';
      if (c.placeholder) return notSecret('placeholder', `${url.scheme} URL with ${where} that is a placeholder (${c.placeholder})`, true);
      if (c.weak && url.loopback) return notSecret('url', `${url.scheme} URL to the local machine with a development password`);
      const confidence: Confidence = c.weak ? 'low' : 'high';
      const kind: KindId = c.where === 'username-token' ? 'api-token' : kindForScheme(url.scheme);
      return { secret: true, kind, confidence, evidence: [evidenceOf('url', `${url.scheme} URL with ${where}${c.weak ? ' (short or equal to the user name)' : ''}`, confidence)] };
    }
  }

  // 4. The key name, boosted by entropy; stand-ins (placeholders, references) are ruled out
  //    only for values that would otherwise count, which is where it matters.
  if (names.clientExposed) return notSecret('name', `${names.clientExposed} variables are shipped to browsers (public by design)`);
  const kw = names.keyword;
  if (names.pairPrefix && kw?.strength !== 'strong' && ctx.hasPairSecret?.(names.pairPrefix)) {
    const ph = placeholderReason(v, profile);
    if (ph) return notSecret('placeholder', ph, true);
    const j = secretByName(names, 'medium', [evidenceOf('name', 'identifier half of a credential pair whose secret is in this file', 'medium')]);
    if (j.kind === 'generic-secret') j.kind = 'cloud-access-key';
    return j;
  }
  if (names.nonSecret) return notSecret('name', names.nonSecret);
  const ent = profile.hasEntropy ? profile.entropy : undefined;
  if (!kw && (key === '' || v.length < 32 || !ent?.random)) return NO_EVIDENCE;
  const shape = nonSecretShape(v, chars);
  if (shape && (kw?.strength !== 'strong' || shape !== 'a number' || v.length < 6)) return notSecret('name', `value is ${shape}`);
  const ph = placeholderReason(v, profile) ?? ((chars & CH_SPACE) !== 0 || profile.templateChars || (chars & CH_DOT) !== 0 ? notAValueReason(v) : undefined);
  if (ph) return notSecret('placeholder', ph, true);
  const truncated = profile.prefixAt === 0 ? truncatedPrefix(v) : undefined;
  if (truncated && kw) {
    return secretByName(names, 'low', [nameEvidence(kw.word, 'low'), evidenceOf('placeholder', `starts like a ${truncated} token but is too short to be one (truncated or a template)`, 'medium')]);
  }

  if (kw?.strength === 'strong') {
    const random = ent?.random === true && v.length >= MIN_RANDOM_LENGTH;
    const evidence: Evidence[] = random && ent ? [nameEvidence(kw.word, 'medium'), entropyEvidence(ent, 'high')] : [nameEvidence(kw.word, 'medium')];
    const confidence: Confidence = random ? 'high' : v.length >= 8 && !UUID.test(v) ? 'medium' : 'low';
    return secretByName(names, confidence, evidence);
  }
  if (kw?.strength === 'weak') {
    if (ent?.random) return secretByName(names, 'medium', [nameEvidence(kw.word, 'low'), entropyEvidence(ent, 'medium')]);
    return notSecret('name', weakKeywordDetail(kw.word));
  }
  // Entropy alone, only for long token-like values: hex is left out (hashes and commit ids are
  // hex), and so is punctuation-rich text (JSON, lists, URLs).
  if (ent?.random && ent.alphabet !== 'hex' && ent.alphabet !== 'printable' && !UUID.test(v)) {
    return { secret: true, kind: 'generic-secret', confidence: 'low', evidence: [entropyEvidence(ent, 'low', ' with no secret keyword in the name')] };
  }
  return NO_EVIDENCE;
}
