import type { KindId } from '../catalog/types';
import { degenerateReason } from './placeholders';
import { entropyOf } from './valueProfile';

/*
 * The shape of a provider rule and the helpers that build one, plus the structural checks that
 * several rule tables share (JWT headers, PEM bodies, checksums). The tables themselves are in
 * providers.ts (core formats) and serviceRules.ts (more services); the matcher is in providers.ts.
 */

/** What a rule concluded about a matched token. */
export type TokenVerdict =
  /** A credential in this provider's format. */
  | 'secret'
  /** A value in a format the provider publishes on purpose (Stripe `pk_`, Supabase anon JWT). */
  | 'public'
  /** The format matched but the token is a template (`-----BEGIN PRIVATE KEY-----\n...\n`). */
  | 'placeholder'
  /** An identifier half of a credential pair (Twilio `AC…` account SID). */
  | 'identifier'
  /** Not this format after all. */
  | 'no';

export interface ProviderRule {
  /** Stable rule id, e.g. `stripe-secret-key`; appears in findings as `provider`. */
  id: string;
  /** Company or format family (`Stripe`, `PEM`). */
  provider: string;
  /** What the token is, for messages (`Stripe live or test secret key`). */
  label: string;
  kind: KindId;
  /** Literal, case-sensitive prefixes (prefix rules). */
  prefixes?: string[];
  /** Matches the whole token: sticky at the prefix for prefix rules, searching for shape rules, anchored for name-gated rules. */
  re: RegExp;
  /** Characters that may not come right before the prefix (default: letters and digits). */
  notAfter?: RegExp | null;
  /** Cheap test on the whole value before a shape rule's regex runs. */
  gate?: (value: string) => boolean;
  /** Name-gated rules: test on the key as `_WORD_WORD_` (upper case). */
  keyGate?: RegExp;
  /** Extra structural check on the matched token. */
  check?: (token: string, value: string, start: number) => TokenCheck;
  /** The name's kind wins when it has one (generic formats such as JWTs). */
  kindFromName?: boolean;
  /** May be shipped to browsers by design (Firebase web API keys, anon JWTs). */
  clientSafe?: boolean;
}

export interface TokenCheck {
  verdict: TokenVerdict;
  detail?: string;
  /** For formats with a checksum: whether it holds. A token whose checksum fails is not trusted as much. */
  checksum?: 'valid' | 'invalid';
  /** Override of `clientSafe` for this token (a service-role JWT is never client-safe). */
  clientSafe?: boolean;
}

export interface ProviderMatch {
  rule: ProviderRule;
  verdict: TokenVerdict;
  /** Set when the token's random part is degenerate (`sk_live_AAAA…`): a test value, low confidence. */
  degenerate?: string;
  clientSafe: boolean;
  detail?: string;
  checksum?: 'valid' | 'invalid';
  /** Offsets of the token in the value. */
  start: number;
  end: number;
}

export const TRAIL = '(?![A-Za-z0-9])';
export const TRAIL_DASH = '(?![A-Za-z0-9_-])';
export const TRAIL_B64 = '(?![A-Za-z0-9+/=])';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export type RuleSpec = Omit<ProviderRule, 're'> & { body: string; trail?: string; flags?: string };

/**
 * A prefix rule: `prefixes` then `body`, then the trailing boundary. The expression is built on
 * first use: a value is tried only against the rules its prefix selects, so most of the catalog's
 * expressions are never needed by a process (a commit hook checks a handful of values).
 */
export function prefixed(spec: RuleSpec): ProviderRule {
  const { body, trail = TRAIL, flags = '', ...rest } = spec;
  const rule = rest as ProviderRule;
  Object.defineProperty(rule, 're', {
    configurable: true,
    enumerable: true,
    get(): RegExp {
      const alt = (spec.prefixes ?? []).map(escapeRe).join('|');
      const re = new RegExp(`(?:${alt})(?:${body})${trail}`, `y${flags}`);
      Object.defineProperty(rule, 're', { value: re, writable: true, configurable: true, enumerable: true });
      return re;
    },
  });
  return rule;
}

/** A name-gated rule: the whole (trimmed) value must match `body`. */
export function named(spec: RuleSpec): ProviderRule {
  const { body, flags = '', trail: _trail, ...rest } = spec;
  return { ...rest, re: new RegExp(`^(?:${body})$`, flags) };
}

/** A shape rule: `body` is searched in the value once `gate` passes; group 1 is the token. */
export function shaped(spec: RuleSpec): ProviderRule {
  const { body, flags = '', trail: _trail, ...rest } = spec;
  return { ...rest, re: new RegExp(body, `g${flags}`) };
}

function b64urlJson(s: string): unknown {
  try {
    const text = Buffer.from(s, 'base64url').toString('utf8');
    if (!text.startsWith('{')) return undefined;
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function jwtCheck(token: string): TokenCheck {
  const [h, p] = token.split('.');
  const header = b64urlJson(h ?? '');
  if (!header || typeof header !== 'object' || !('alg' in header || 'typ' in header)) return { verdict: 'no' };
  const payload = b64urlJson(p ?? '');
  const role = payload && typeof payload === 'object' && 'role' in payload ? String(payload.role) : undefined;
  if (role === 'anon') return { verdict: 'public', detail: 'JWT with role "anon" (published by design)' };
  if (role === 'service_role') return { verdict: 'secret', detail: 'JWT with role "service_role"', clientSafe: false };
  return { verdict: 'secret' };
}

/** Base64 characters in a PEM body once headers (`Proc-Type:`), line breaks and `\n` escapes are removed. */
function pemBodyLength(body: string): { length: number; degenerate?: string } {
  let core = '';
  for (const line of body.split(/\\r\\n|\\n|\r?\n/)) {
    if (line.includes(':')) continue; // Proc-Type, DEK-Info, Comment, Version headers
    core += line.replace(/[^A-Za-z0-9+/=]/g, '');
  }
  return { length: core.length, degenerate: degenerateReason(core) };
}

export function pemCheck(_token: string, value: string, start: number): TokenCheck {
  const headerEnd = value.indexOf('-----', start + 10);
  if (headerEnd === -1) return { verdict: 'no' };
  const end = value.indexOf('-----END', headerEnd + 5);
  const body = pemBodyLength(value.slice(headerEnd + 5, end === -1 ? undefined : end));
  // The smallest real key (Ed25519 PKCS#8) has a 64-character body.
  if (body.length >= 60 && !body.degenerate) return { verdict: 'secret' };
  if (end === -1 && body.length === 0) {
    // dotenv reads an unquoted multi-line PEM as its first line only: the key sits below it in the file.
    return { verdict: 'secret', detail: 'PEM header whose body dotenv does not read (unquoted multi-line value)' };
  }
  return { verdict: 'placeholder', detail: 'PEM block without key material' };
}

export function pemBase64Check(token: string): TokenCheck {
  const text = Buffer.from(token, 'base64').toString('latin1');
  const at = text.indexOf('-----BEGIN');
  if (at === -1 || !/PRIVATE KEY/.test(text.slice(at, at + 80))) return { verdict: 'no' };
  return pemCheck(text, text, at);
}

const SERVICE_ACCOUNT_RE = /"type"\s*:\s*"service_account"/;

export function serviceAccountCheck(_token: string, value: string): TokenCheck {
  if (!SERVICE_ACCOUNT_RE.test(value)) return { verdict: 'no' };
  const at = value.indexOf('-----BEGIN');
  if (at === -1) return { verdict: 'placeholder', detail: 'service-account JSON without a private key' };
  const pem = pemCheck(value, value, at);
  return pem.verdict === 'secret' ? { verdict: 'secret', detail: 'Google service-account JSON with a private key' } : pem;
}

export function serviceAccountBase64Check(token: string): TokenCheck {
  const text = Buffer.from(token, 'base64').toString('utf8');
  return serviceAccountCheck(text, text);
}

/** Tokens whose random part must look random (short or common prefixes). */
export function randomBody(prefixLength: number): (token: string) => TokenCheck {
  return (token) => (entropyOf(token.slice(prefixLength))?.random ? { verdict: 'secret' } : { verdict: 'no' });
}

export function discordCheck(token: string): TokenCheck {
  // The first segment is the bot's user id (a 17-20 digit snowflake) in base64.
  const id = Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('latin1');
  return /^\d{17,20}$/.test(id) ? { verdict: 'secret' } : { verdict: 'no' };
}



const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, the zlib polynomial) of an ASCII string. */
export function crc32(s: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = CRC_TABLE[(c ^ s.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `n` in base 62 (digits, upper, lower), left-padded with `0` to `width`. */
export function base62(n: number, width: number): string {
  let out = '';
  do {
    out = BASE62[n % 62]! + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, '0');
}

/**
 * GitHub's token format (also npm's): after the prefix, 30 random base62 characters and a
 * 6-character base62 CRC-32 of those 30 (github.blog, "Behind GitHub's new authentication token
 * formats", 2021). Longer legacy bodies are accepted without a checksum.
 */
export function githubChecksum(token: string): TokenCheck {
  const body = token.slice(token.indexOf('_') + 1);
  if (body.length !== 36 || !/^[A-Za-z0-9]+$/.test(body)) return { verdict: 'secret' };
  const ok = base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
  return ok ? { verdict: 'secret', checksum: 'valid', detail: 'checksum verified' } : { verdict: 'secret', checksum: 'invalid', detail: 'checksum does not match' };
}

/**
 * PyPI tokens are macaroons (v2 binary, base64url after `pypi-`): they end with a signature
 * field (type 6, 32 bytes). A body that does not decode to that shape is not a PyPI token.
 */
export function pypiMacaroonCheck(token: string): TokenCheck {
  const raw = Buffer.from(token.slice(5), 'base64url');
  const n = raw.length;
  if (n < 60 || raw[0] !== 2) return { verdict: 'no' };
  // The signature field may be followed by nothing; base64url padding can add no bytes.
  return raw[n - 34] === 6 && raw[n - 33] === 32 ? { verdict: 'secret', checksum: 'valid', detail: 'macaroon structure verified' } : { verdict: 'secret', checksum: 'invalid', detail: 'not a well-formed macaroon' };
}

/** Tokens whose random part must mix upper case, lower case and digits (Vault legacy `s.` tokens). */
export function mixedBody(prefixLength: number): (token: string) => TokenCheck {
  return (token) => {
    const body = token.slice(prefixLength);
    return /[a-z]/.test(body) && /[A-Z]/.test(body) && /\d/.test(body) && entropyOf(body)?.random ? { verdict: 'secret' } : { verdict: 'no' };
  };
}

/** A format a provider publishes on purpose (publishable or client keys). */
export function publicByDesign(detail = 'publishable key (public by design)'): () => TokenCheck {
  return () => ({ verdict: 'public', detail });
}

/**
 * Slack tokens end in a random segment after numeric team and user ids; `xoxb-12345-abcd234`
 * has the shape but no random part.
 */
export function slackCheck(token: string): TokenCheck {
  const last = token.slice(token.lastIndexOf('-') + 1);
  if (last.length < 16 || degenerateReason(last) !== undefined) return { verdict: 'no' };
  const e = entropyOf(last);
  return e && (e.random || e.bitsPerChar >= 3.5) ? { verdict: 'secret' } : { verdict: 'no' };
}
