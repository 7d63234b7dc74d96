import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { SessionFramework } from '../../catalog/sessionFrameworks';
import type { ParsedEnv } from '../../env/types';

/*
 * How long a session signed with the old secret can stay valid: the framework's session
 * lifetime when the configuration states it as a plain number, else the table's documented
 * default. Only literal arithmetic (`60 * 60 * 24 * 7`) is read; anything computed is ignored.
 */

export interface LifetimeSources {
  /** The `.env` file holding the key (Laravel's SESSION_LIFETIME lives there). */
  envParsed: ParsedEnv;
  /** Text of the code file that configures the library, when the consumer scan found one. */
  useText: string | undefined;
  root: string;
  envFile: string;
}

/** Evaluates `1000 * 60 * 60 * 24 * 7`, `2_592_000`, `(30 * 24 * 60 * 60)`; undefined otherwise. */
export function literalProduct(expr: string): number | undefined {
  const clean = expr.replace(/[()\s]/g, '').replace(/_/g, '');
  if (!/^\d+(?:\.\d+)?(?:\*\d+(?:\.\d+)?)*$/.test(clean)) return undefined;
  const n = clean.split('*').reduce((a, b) => a * Number(b), 1);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The number after `prop:` / `prop =` in `text`, when it is literal arithmetic. */
function literalProp(text: string, prop: string): number | undefined {
  const m = new RegExp(String.raw`\b${prop}['"]?\s*[:=]\s*([\d_\s*().]+)(?=[,}\n;#])`).exec(text);
  return m ? literalProduct(m[1] as string) : undefined;
}

const SECONDS = 1 / 86_400;
const MS = SECONDS / 1000;

async function firstText(files: string[]): Promise<string | undefined> {
  for (const f of files) {
    const t = await fs.readFile(f, 'utf8').catch(() => undefined);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** Session lifetime in days for `framework`, and where it came from. */
export async function readLifetimeDays(framework: SessionFramework, src: LifetimeSources): Promise<{ days: number; from: string }> {
  const fallback = { days: framework.defaultLifetimeDays, from: `${framework.name}'s default ${framework.lifetimeSetting}` };
  const fromCode = (prop: string, unit: number, label: string, text = src.useText): { days: number; from: string } | undefined => {
    const n = text === undefined ? undefined : literalProp(text, prop);
    return n === undefined ? undefined : { days: n * unit, from: `${label} in the app's configuration` };
  };
  switch (framework.id) {
    case 'laravel': {
      const v = [...src.envParsed.entries].reverse().find((e) => e.key === 'SESSION_LIFETIME')?.value;
      const minutes = v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
      return minutes ? { days: minutes / 1440, from: `SESSION_LIFETIME=${minutes} minutes in ${path.basename(src.envFile)}` } : fallback;
    }
    case 'express-session':
    case 'cookie-session':
      return fromCode('maxAge', MS, 'cookie maxAge') ?? fallback;
    case 'iron-session':
      return fromCode('ttl', SECONDS, 'ttl') ?? fallback;
    case 'django':
      return fromCode('SESSION_COOKIE_AGE', SECONDS, 'SESSION_COOKIE_AGE') ?? fallback;
    case 'authjs': {
      const dir = path.dirname(src.envFile);
      const text = src.useText ?? (await firstText(['auth.ts', 'auth.js', 'src/auth.ts', 'src/auth.js', 'auth.config.ts', 'src/auth.config.ts'].map((f) => path.join(dir, f))));
      return fromCode('maxAge', SECONDS, 'session.maxAge', text) ?? fallback;
    }
    default:
      return fallback;
  }
}
