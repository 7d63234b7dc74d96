import * as path from 'node:path';
import type { SessionFrameworkId } from '../../catalog/sessionFrameworks';
import { LineIndex, type Range } from '../../text/lineIndex';

/*
 * The code change that makes a library verify with the previous secret too, when the app hands
 * it one value: `secret: process.env.SESSION_SECRET` becomes a list, new first. The edit reads
 * the previous value from `<KEY>_PREVIOUS`, which the same rotation writes to the `.env` file;
 * once that entry is removed (retired) the list holds the new secret alone, so the edit can stay.
 *
 * Only shapes rekey can rewrite exactly are edited; anything else is reported as manual with
 * the snippet to add, never guessed.
 */

/** One replacement in a source file. Holds no secret: only env variable names. */
export interface CodeEdit {
  /** Absolute path. */
  file: string;
  start: number;
  end: number;
  /** 0-based range of [start, end) in the file as read. */
  range: Range;
  newText: string;
}

/** The edits to one source file, with its text before and after. */
export interface CodeChange {
  file: string;
  edits: CodeEdit[];
  oldText: string;
  newText: string;
  /** One line per edit: what it does, for the plan. */
  description: string;
}

export type CodeEditResult =
  | { ok: true; change: CodeChange }
  | { ok: false; reason: string };

const TS_EXT = /\.(ts|tsx|mts|cts)$/i;

function envAccess(key: string): RegExp {
  // `process.env.KEY`, `process.env['KEY']`, optionally followed by `!` or `as string`.
  return new RegExp(String.raw`process\.env(?:\.${key}\b|\[\s*['"\`]${key}['"\`]\s*\])(?:!|\s+as\s+string\b)?`, 'g');
}

/** The list expression `[new, previous]` without empty entries, typed in TypeScript files. */
function listExpr(current: string, previousKey: string, ts: boolean): string {
  const filter = ts ? '.filter((s): s is string => Boolean(s))' : '.filter(Boolean)';
  return `[${current}, process.env.${previousKey}]${filter}`;
}

/** Offset of the `)` closing the call whose `(` is at `open`, skipping strings and comments; -1 if none. */
export function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? i : -1;
    }
  }
  return -1;
}

function finish(file: string, text: string, edits: Array<Omit<CodeEdit, 'range' | 'file'>>, description: string): CodeEditResult {
  const lines = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  out += text.slice(at);
  return {
    ok: true,
    change: { file, oldText: text, newText: out, description, edits: sorted.map((e) => ({ ...e, file, range: lines.rangeOf(e.start, e.end) })) },
  };
}

/** Env accesses of `key` in `text` within a few lines of `line` (0-based), nearest first. */
function accessesNear(text: string, key: string, line: number): Array<{ start: number; end: number; text: string }> {
  const lines = new LineIndex(text);
  const out: Array<{ start: number; end: number; text: string; distance: number }> = [];
  for (const m of text.matchAll(envAccess(key))) {
    const l = lines.positionAt(m.index).line;
    if (Math.abs(l - line) <= 3) out.push({ start: m.index, end: m.index + m[0].length, text: m[0], distance: Math.abs(l - line) });
  }
  return out.sort((a, b) => a.distance - b.distance);
}

const JWT_HELPER_JS = (name: string): string => `

/** Verifies with each secret in turn, newest first, so tokens signed before a secret rotation stay valid until the old secret is removed. */
function ${name}(verify, secrets) {
  const list = secrets.filter(Boolean);
  for (let i = 0; i < list.length; i++) {
    try {
      return verify(list[i]);
    } catch (err) {
      if (i === list.length - 1 || !err || err.name !== 'JsonWebTokenError' || err.message !== 'invalid signature') throw err;
    }
  }
  throw new Error('no secret to verify with');
}
`;

const JWT_HELPER_TS = (name: string): string => `

/** Verifies with each secret in turn, newest first, so tokens signed before a secret rotation stay valid until the old secret is removed. */
function ${name}<T>(verify: (secret: string) => T, secrets: Array<string | undefined>): T {
  const list = secrets.filter((s): s is string => Boolean(s));
  for (let i = 0; i < list.length; i++) {
    try {
      return verify(list[i] as string);
    } catch (err: unknown) {
      const e = err as { name?: string; message?: string } | undefined;
      if (i === list.length - 1 || e?.name !== 'JsonWebTokenError' || e.message !== 'invalid signature') throw err;
    }
  }
  throw new Error('no secret to verify with');
}
`;

/** Name of the helper the jsonwebtoken edit adds. */
export const JWT_HELPER_NAME = 'verifyWithPreviousSecrets';

/**
 * The code edit that makes `framework` verify with `previousKey` as well as `key`, in `file`
 * (whose text is `text`) around the 0-based `line` where the consumer scan saw the key handed
 * to the library. Pure.
 */
export function codeEditFor(framework: SessionFrameworkId, file: string, text: string, line: number, key: string, previousKey: string): CodeEditResult {
  const ts = TS_EXT.test(file);
  const shown = path.basename(file);
  if (text.includes(`process.env.${previousKey}`) || text.includes(`'${previousKey}'`) || text.includes(`"${previousKey}"`)) {
    return { ok: false, reason: `${shown} already reads ${previousKey}: the code seems to be changed already` };
  }
  if (framework === 'jsonwebtoken') return jwtEdit(file, text, key, previousKey, ts);
  const near = accessesNear(text, key, line);
  for (const a of near) {
    const before = text.slice(Math.max(0, a.start - 80), a.start);
    if (framework === 'express-session' || framework === 'authjs') {
      if (/\bsecret\s*:\s*$/.test(before)) {
        return finish(file, text, [{ start: a.start, end: a.end, newText: listExpr(a.text, previousKey, ts) }], `${shown}: \`secret\` becomes [${key}, ${previousKey}]: the first signs, both verify`);
      }
    } else if (framework === 'cookie-parser') {
      if (/\bcookieParser\(\s*$/.test(before)) {
        return finish(file, text, [{ start: a.start, end: a.end, newText: listExpr(a.text, previousKey, ts) }], `${shown}: cookieParser gets [${key}, ${previousKey}]: the first signs, both verify`);
      }
    } else if (framework === 'cookie-session') {
      const keys = /\bkeys\s*:\s*\[\s*$/.exec(before);
      if (keys) {
        const close = text.slice(a.end).match(/^\s*\]/);
        if (close) {
          const start = a.start - (before.length - keys.index) + (keys[0].indexOf('['));
          return finish(file, text, [{ start, end: a.end + close[0].length, newText: listExpr(a.text, previousKey, ts) }], `${shown}: \`keys\` becomes [${key}, ${previousKey}]: the first signs, both verify`);
        }
      }
      const secret = /\bsecret(\s*:\s*)$/.exec(before);
      if (secret) {
        const start = a.start - (before.length - secret.index);
        return finish(file, text, [{ start, end: a.end, newText: `keys${secret[1] as string}${listExpr(a.text, previousKey, ts)}` }], `${shown}: \`secret\` becomes \`keys\` [${key}, ${previousKey}]: the first signs, both verify`);
      }
    } else if (framework === 'iron-session') {
      if (/\bpassword\s*:\s*$/.test(before)) {
        // Seals made with a string password carry id 1; new seals use the highest id.
        const map = `{ 2: ${a.text}, ...(process.env.${previousKey} ? { 1: process.env.${previousKey} } : {}) }`;
        return finish(file, text, [{ start: a.start, end: a.end, newText: map }], `${shown}: \`password\` becomes a map {2: ${key}, 1: ${previousKey}}: seals use id 2, old seals (id 1) still open`);
      }
    }
  }
  return { ok: false, reason: `rekey found ${key} near ${shown}:${line + 1} but not in a shape it can rewrite exactly` };
}

function jwtEdit(file: string, text: string, key: string, previousKey: string, ts: boolean): CodeEditResult {
  const shown = path.basename(file);
  const edits: Array<Omit<CodeEdit, 'range' | 'file'>> = [];
  const call = /\b(jwt|jsonwebtoken|JWT|Jwt)\.verify\s*\(/g;
  for (const m of text.matchAll(call)) {
    const open = m.index + m[0].length - 1;
    const close = matchingParen(text, open);
    if (close === -1) continue;
    const inner = text.slice(open + 1, close);
    const access = [...inner.matchAll(envAccess(key))][0];
    if (!access) continue;
    if (/=>|\bfunction\b/.test(inner.slice(access.index + access[0].length))) {
      return { ok: false, reason: `${shown}: jwt.verify with a callback: wrap it by hand (see the runbook)` };
    }
    const rewritten = `${inner.slice(0, access.index)}secret${inner.slice(access.index + access[0].length)}`;
    const secretParam = ts ? '(secret: string)' : '(secret)';
    edits.push({ start: m.index, end: close + 1, newText: `${JWT_HELPER_NAME}(${secretParam} => ${m[1] as string}.verify(${rewritten}), [process.env.${key}, process.env.${previousKey}])` });
  }
  if (edits.length === 0) return { ok: false, reason: `${shown}: no jwt.verify(…, process.env.${key}, …) call to rewrite` };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const helper = (ts ? JWT_HELPER_TS : JWT_HELPER_JS)(JWT_HELPER_NAME).replace(/\n/g, eol);
  const end = text.replace(/\s+$/, '').length;
  edits.push({ start: end, end, newText: helper.replace(new RegExp(`${eol}$`), '') });
  return finish(file, text, edits, `${shown}: ${edits.length - 1} jwt.verify call${edits.length > 2 ? 's verify' : ' verifies'} with ${key}, then ${previousKey} (only on "invalid signature"); signing is unchanged`);
}

/**
 * Django reads settings, not the environment: when the settings module sets `SECRET_KEY` from
 * the environment but has no `SECRET_KEY_FALLBACKS`, this adds one right after it that reads
 * the comma-separated env var (Django's generated keys never contain a comma).
 */
export function djangoFallbacksEdit(file: string, text: string, line: number, previousKey: string): CodeEditResult {
  const shown = path.basename(file);
  if (/^\s*SECRET_KEY_FALLBACKS\s*=/m.test(text)) return { ok: false, reason: `${shown} already sets SECRET_KEY_FALLBACKS: make it read ${previousKey} by hand if it does not` };
  const lines = new LineIndex(text);
  // The statement may continue on the next lines (a call spread over lines): end at the first line whose brackets balance.
  let end = lines.lineContentEnd(line);
  let depth = 0;
  for (let i = lines.offsetOfLine(line); i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '\n' && depth <= 0) {
      end = text[i - 1] === '\r' ? i - 1 : i;
      break;
    }
    if (i === text.length - 1) end = text.length;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^[ \t]*/.exec(text.slice(lines.offsetOfLine(line)))?.[0] ?? '';
  const usesOs = /^\s*import\s+os\b|^\s*from\s+os\b/m.test(text);
  const insert = `${eol}${indent}# Older keys that still verify signatures (sessions, password-reset links) after a rotation; newest first.${eol}${indent}SECRET_KEY_FALLBACKS = [k for k in os.environ.get("${previousKey}", "").split(",") if k]`;
  const edits = [{ start: end, end, newText: insert }];
  if (!usesOs) edits.push({ start: 0, end: 0, newText: `import os${eol}` });
  return finish(file, text, edits, `${shown}: adds SECRET_KEY_FALLBACKS read from ${previousKey} (comma-separated)`);
}
