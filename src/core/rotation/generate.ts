import { randomBytes, randomUUID } from 'node:crypto';
import { KINDS } from '../catalog/kinds';
import type { GeneratorFormat, KindId } from '../catalog/types';

/*
 * Replacement values, made with `node:crypto` only. A format says which alphabet and how much
 * randomness; `inferFormat` picks one that the consumers of the current value will accept (same
 * encoding, same decoded length) unless the current value is too weak to be worth copying.
 */

/** A format rekey can mint itself (everything but provider-issued credentials). */
export type ValueFormat =
  | {
      type: 'base64';
      bytes: number;
      /** Keep the trailing `=` padding (default true). */
      padded?: boolean;
      /** Text written before the encoded bytes, e.g. Laravel's `base64:` for `APP_KEY`. */
      prefix?: string;
    }
  | { type: 'base64url'; bytes: number; prefix?: string }
  | { type: 'hex'; bytes: number; upper?: boolean; prefix?: string }
  | { type: 'alnum'; length: number }
  | { type: 'uuid' };

/** What a kind or a value calls for: a mintable format, or "the provider issues it". */
export type TargetFormat = ValueFormat | { type: 'provider' };

/** A format string rekey could not read; the message says what is accepted. */
export class FormatSpecError extends Error {
  override name = 'FormatSpecError';
}

/** Thrown when asked to mint a credential only its provider can issue. */
export class ProviderIssuedError extends Error {
  override name = 'ProviderIssuedError';
}

const MAX_BYTES = 4096;
const MIN_STRONG_BITS = 128;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 62 * 4: bytes at or above this are rejected so every character is equally likely. */
const ALNUM_LIMIT = 248;

export const FORMAT_SPEC_HELP = 'hex:BYTES, base64:BYTES, base64url:BYTES, alnum:LENGTH or uuid (e.g. hex:32, base64:64, base64url:48, alnum:24)';

/**
 * Reads a format string: `hex:32`, `base64:64`, `base64url:48` (numbers are random bytes),
 * `alnum:24` (number of characters) or `uuid`.
 * @throws FormatSpecError with the accepted forms when the string is not one of them.
 */
export function parseFormatSpec(spec: string): ValueFormat {
  const s = spec.trim().toLowerCase();
  if (s === 'uuid') return { type: 'uuid' };
  const m = /^(hex|base64|base64url|alnum):(\d{1,5})$/.exec(s);
  if (!m) throw new FormatSpecError(`unknown format ${JSON.stringify(spec)}; use ${FORMAT_SPEC_HELP}`);
  const n = Number(m[2]);
  if (n < 1 || n > MAX_BYTES) throw new FormatSpecError(`format ${JSON.stringify(spec)}: the number must be between 1 and ${MAX_BYTES}; use ${FORMAT_SPEC_HELP}`);
  const type = m[1] as 'hex' | 'base64' | 'base64url' | 'alnum';
  return type === 'alnum' ? { type, length: n } : { type, bytes: n };
}

/** The spec string of a format (`hex:32`, `uuid`, `provider`); inverse of {@link parseFormatSpec}. */
export function formatSpec(format: TargetFormat): string {
  switch (format.type) {
    case 'uuid':
    case 'provider':
      return format.type;
    case 'alnum':
      return `alnum:${format.length}`;
    default:
      return `${format.type}:${format.bytes}`;
  }
}

/** Number of characters a value in this format has (0 for provider-issued). */
export function formatLength(format: TargetFormat): number {
  switch (format.type) {
    case 'provider':
      return 0;
    case 'uuid':
      return 36;
    case 'alnum':
      return format.length;
    case 'hex':
      return (format.prefix?.length ?? 0) + format.bytes * 2;
    case 'base64url':
      return (format.prefix?.length ?? 0) + Math.ceil((format.bytes * 4) / 3);
    case 'base64':
      return (format.prefix?.length ?? 0) + (format.padded === false ? Math.ceil((format.bytes * 4) / 3) : Math.ceil(format.bytes / 3) * 4);
  }
}

/** Bits of randomness in a value of this format. */
export function formatBits(format: TargetFormat): number {
  switch (format.type) {
    case 'provider':
      return 0;
    case 'uuid':
      return 122;
    case 'alnum':
      return Math.floor(format.length * Math.log2(62));
    default:
      return format.bytes * 8;
  }
}

/** A value-free, human description: "32 random bytes, hex (64 characters)". */
export function describeFormat(format: TargetFormat): string {
  switch (format.type) {
    case 'provider':
      return 'issued by the provider (rekey cannot generate it)';
    case 'uuid':
      return 'random UUID v4 (36 characters)';
    case 'alnum':
      return `${format.length} random letters and digits (URL-safe, about ${formatBits(format)} bits)`;
    default: {
      const extras: string[] = [];
      if (format.type === 'base64' && format.padded === false) extras.push('no padding');
      if (format.type === 'hex' && format.upper) extras.push('upper case');
      if (format.prefix) extras.push(`prefixed \`${format.prefix}\``);
      const name = format.type === 'base64url' ? 'base64url' : format.type;
      return `${format.bytes} random bytes, ${name}${extras.length ? `, ${extras.join(', ')}` : ''} (${formatLength(format)} characters)`;
    }
  }
}

function alnum(length: number): string {
  let out = '';
  while (out.length < length) {
    // Ask for a little more than needed; about 3% of bytes are rejected.
    const buf = randomBytes(Math.ceil((length - out.length) * 1.1) + 8);
    for (const b of buf) {
      if (b >= ALNUM_LIMIT) continue;
      out += ALNUM[b % 62] as string;
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * A fresh random value in `format`, from `node:crypto`.
 * @throws ProviderIssuedError for `{ type: 'provider' }`.
 */
export function generateValue(format: TargetFormat): string {
  switch (format.type) {
    case 'provider':
      throw new ProviderIssuedError('this credential is issued by its provider: create the new one in the provider\'s console, rekey cannot generate it');
    case 'uuid':
      return randomUUID();
    case 'alnum':
      return alnum(format.length);
    case 'hex': {
      const hex = randomBytes(format.bytes).toString('hex');
      return (format.prefix ?? '') + (format.upper ? hex.toUpperCase() : hex);
    }
    case 'base64url':
      return (format.prefix ?? '') + randomBytes(format.bytes).toString('base64url');
    case 'base64': {
      const b64 = randomBytes(format.bytes).toString('base64');
      return (format.prefix ?? '') + (format.padded === false ? b64.replace(/=+$/, '') : b64);
    }
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The encoding and length of a value, when it is one rekey can reproduce; `undefined` for
 * anything else (symbols, spaces, provider prefixes such as `sk_live_`).
 */
export function shapeOf(value: string): ValueFormat | undefined {
  let prefix: string | undefined;
  let v = value;
  // Laravel-style `base64:` marker: the app decodes what follows, so keep the marker.
  if (/^base64:[A-Za-z0-9+/]+={0,2}$/.test(v)) {
    prefix = 'base64:';
    v = v.slice(prefix.length);
  }
  if (v.length === 0) return undefined;
  if (!prefix && UUID_RE.test(v)) return { type: 'uuid' };
  if (!prefix && /^[0-9a-fA-F]+$/.test(v) && v.length % 2 === 0 && v.length >= 16 && /[0-9]/.test(v)) {
    const upper = /[A-F]/.test(v) && !/[a-f]/.test(v);
    if (!(/[A-F]/.test(v) && /[a-f]/.test(v))) return { type: 'hex', bytes: v.length / 2, ...(upper ? { upper } : {}) };
  }
  const padded = /^[A-Za-z0-9+/]+={1,2}$/.test(v) && v.length % 4 === 0;
  if (padded || (prefix && /^[A-Za-z0-9+/]+$/.test(v) && v.length % 4 === 0)) {
    const pad = v.endsWith('==') ? 2 : v.endsWith('=') ? 1 : 0;
    return { type: 'base64', bytes: (v.length / 4) * 3 - pad, ...(prefix ? { prefix } : {}) };
  }
  if (/^[A-Za-z0-9+/]+$/.test(v) && /[+/]/.test(v) && v.length % 4 !== 1) {
    return { type: 'base64', bytes: Math.floor((v.length * 3) / 4), padded: v.length % 4 === 0, ...(prefix ? { prefix } : {}) };
  }
  if (prefix) return undefined;
  if (/^[A-Za-z0-9_-]+$/.test(v) && /[_-]/.test(v) && v.length % 4 !== 1 && !/^[a-z]{2,8}[_-]/.test(v)) {
    // `sk_live_…`, `ghp_…`, `xoxb-…` provider tokens start with a short word and a separator.
    return { type: 'base64url', bytes: Math.floor((v.length * 3) / 4) };
  }
  if (/^[A-Za-z0-9]+$/.test(v)) return { type: 'alnum', length: v.length };
  return undefined;
}

/** Kinds whose value is a password that often ends up inside a URL: keep it URL-safe. */
const PASSWORD_KINDS = new Set<KindId>(['database-password', 'connection-url', 'cache-password']);
/** Key sizes encryption code accepts; anything else falls back to the kind's 32 bytes. */
const KEY_BYTES = new Set([16, 24, 32, 64]);

export interface InferredFormat {
  format: TargetFormat;
  /** Where the format came from. */
  from: 'current-value' | 'kind-default';
  /** Value-free reason, for the plan ("the current value is 32 bytes hex"). */
  reason: string;
}

/**
 * The format a replacement should have: the current value's encoding and length when it is strong
 * enough (at least 128 bits) and fits the kind, otherwise the kind's default from the catalog.
 *
 * - Passwords (database, connection URL, cache) stay URL-safe: a base64 password with `+/=`
 *   becomes letters and digits of the same length, so it can sit inside a URL unescaped.
 * - Encryption keys keep their encoding and decoded size (16, 24, 32 or 64 bytes), else 32 bytes
 *   hex: the application decodes the key and checks its length.
 * - Provider-issued kinds (API tokens, cloud keys, SMTP, private keys) yield `provider`.
 */
export function inferFormat(currentValue: string, kind: KindId): InferredFormat {
  const def = defaultFormat(kind);
  if (def.type === 'provider') return { format: def, from: 'kind-default', reason: `${KINDS[kind].name}s are issued by the provider` };
  const fallback = (why: string): InferredFormat => ({ format: def, from: 'kind-default', reason: `${why}, so the default for this kind is used` });
  const shape = shapeOf(currentValue);
  if (!shape) return fallback(currentValue.length === 0 ? 'the current value is empty' : 'the current value has a shape rekey does not reproduce');

  if (kind === 'encryption-key') {
    if (shape.type === 'uuid') return fallback('the current value is a UUID, not a key');
    if (shape.type === 'alnum') {
      return shape.length >= 32
        ? { format: { type: 'alnum', length: shape.length }, from: 'current-value', reason: `the current key is ${shape.length} letters and digits` }
        : fallback('the current key is short');
    }
    const bytes = KEY_BYTES.has(shape.bytes) ? shape.bytes : 32;
    const format = { ...shape, bytes } as ValueFormat;
    return { format, from: 'current-value', reason: `the current key is ${shape.bytes} bytes ${shape.type}; the new one uses the same encoding${bytes !== shape.bytes ? ' with 32 bytes' : ''}` };
  }

  if (PASSWORD_KINDS.has(kind) && shape.type === 'base64') {
    const length = Math.max(formatLength(shape), 24);
    return { format: { type: 'alnum', length }, from: 'current-value', reason: `the current password is base64; the new one is ${length} URL-safe letters and digits so it can sit inside a URL unescaped` };
  }

  const bits = formatBits(shape);
  if (bits < MIN_STRONG_BITS) return fallback(`the current value carries only about ${bits} bits`);
  return { format: shape, from: 'current-value', reason: 'same encoding and length as the current value' };
}

/** The catalog's default format for a kind. */
export function defaultFormat(kind: KindId): TargetFormat {
  const format: GeneratorFormat = KINDS[kind].generator;
  return format;
}
