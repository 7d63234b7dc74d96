import { encodeUrlPassword } from '../rotation/urlPassword';

/*
 * Driver messages are written for operators, not for logs that must never hold a secret: pg
 * echoes connection strings, node-redis repeats the URL it was given, nodemailer may quote the
 * AUTH exchange (base64 of the password). Every message leaving this folder goes through here.
 */

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/** The forms a secret can take inside a message: as is, percent-encoded, base64 (SMTP AUTH PLAIN/LOGIN). */
function forms(secret: string): string[] {
  const out = new Set<string>([secret, encodeUrlPassword(secret), encodeURIComponent(secret), Buffer.from(secret, 'utf8').toString('base64')]);
  return [...out].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

/**
 * `message` with every secret removed: the given `secrets` in any of their usual encodings,
 * the password part of any `scheme://user:password@` URL, and long base64 runs (AUTH payloads).
 * Also flattened to one line and capped, so a stack or a protocol dump cannot slip through.
 */
export function sanitizeMessage(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) {
    if (!s) continue;
    for (const f of forms(s)) out = out.replace(new RegExp(escapeRe(f), 'g'), '***');
  }
  out = out.replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/@:]*:)[^\s@]*@/g, '$1***@');
  out = out.replace(/[A-Za-z0-9+/]{24,}={0,2}/g, '***');
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > 300 ? `${out.slice(0, 297)}...` : out;
}

/** The message of anything thrown, sanitised. */
export function errorText(err: unknown, secrets: readonly string[]): string {
  const e = err as { message?: unknown; code?: unknown };
  const raw = typeof e?.message === 'string' && e.message !== '' ? e.message : typeof e?.code === 'string' ? e.code : String(err);
  return sanitizeMessage(raw, secrets);
}
