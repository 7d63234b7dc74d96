import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { isKindId, KIND_IDS } from '../catalog/types';
import { parseInterval } from './annotations';
import type { DetectConfig } from './types';

/*
 * The workspace file `.rekey.json` at a workspace root:
 *
 *   {
 *     "notSecret": ["FEATURE_FLAG_KEY", "apps/web/.env:NEXT_PUBLIC_*"],
 *     "kinds": { "PROXYOS_SECRET": "session-signing", "apps/api/.env:TOKEN": "shared-secret" },
 *     "intervals": { "SESSION_SECRET": 30, "api-token": "6m" }
 *   }
 *
 * Entries name a key (`KEY`, `*` wildcards allowed) or a key in one file (`path:KEY`, path
 * relative to the root with `/`, globs allowed). Other top-level fields belong to other
 * features and are left alone.
 */

export const CONFIG_FILE_NAME = '.rekey.json';

export interface LoadedDetectConfig {
  config: DetectConfig;
  /** Absolute path of the file that was read, when there was one. */
  file?: string;
  /** One actionable line when the file exists but is not valid; valid parts are still returned. */
  error?: string;
}

/**
 * Reads `.rekey.json` from `root`. A missing file is an empty config; unreadable or invalid
 * JSON gives an `error` naming the file and the position, never the file's contents.
 */
export async function loadDetectConfig(root: string): Promise<LoadedDetectConfig> {
  const file = path.join(root, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { config: {} };
    return { config: {}, file, error: `${file}: cannot read (${code ?? 'error'})` };
  }
  const parsed = parseDetectConfig(text, file);
  return { ...parsed, file };
}

/** Parses the text of a config file; `source` names it in errors. */
export function parseDetectConfig(text: string, source: string): { config: DetectConfig; error?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { config: {}, error: `${source}: invalid JSON${jsonErrorPosition(text, err)}` };
  }
  return validateDetectConfig(raw, source);
}

/** Checks the shape of an already-parsed config (a VS Code setting uses the same shape). */
export function validateDetectConfig(raw: unknown, source: string): { config: DetectConfig; error?: string } {
  const problems: string[] = [];
  const config: DetectConfig = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { config, error: `${source}: expected a JSON object` };
  }
  const obj = raw as Record<string, unknown>;
  if (obj.notSecret !== undefined) {
    if (Array.isArray(obj.notSecret) && obj.notSecret.every((k) => typeof k === 'string' && k.trim() !== '')) config.notSecret = obj.notSecret as string[];
    else problems.push('"notSecret" must be an array of key names');
  }
  if (obj.kinds !== undefined) {
    if (isPlainObject(obj.kinds)) {
      const kinds: NonNullable<DetectConfig['kinds']> = {};
      for (const [k, v] of Object.entries(obj.kinds)) {
        if (typeof v === 'string' && isKindId(v)) kinds[k] = v;
        else problems.push(`"kinds.${k}" must be one of ${KIND_IDS.join(', ')}`);
      }
      config.kinds = kinds;
    } else problems.push('"kinds" must be an object mapping keys to kind ids');
  }
  if (obj.intervals !== undefined) {
    if (isPlainObject(obj.intervals)) {
      const intervals: Record<string, number> = {};
      for (const [k, v] of Object.entries(obj.intervals)) {
        const days = typeof v === 'number' ? (Number.isSafeInteger(v) && v > 0 && v <= 36_500 ? v : undefined) : typeof v === 'string' ? parseInterval(v) : undefined;
        if (days !== undefined) intervals[k] = days;
        else problems.push(`"intervals.${k}" must be a number of days or an interval such as "30d", "6m", "1y"`);
      }
      config.intervals = intervals;
    } else problems.push('"intervals" must be an object mapping keys or kind ids to days');
  }
  return problems.length ? { config, error: `${source}: ${problems.join('; ')}` } : { config };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * ` at line L column C: <what>` for a JSON.parse error. Only the parser's own description and
 * the position are kept: some of V8's messages quote the text, which may hold anything. When
 * the message has no position, a small scanner finds it.
 */
function jsonErrorPosition(text: string, err: unknown): string {
  const m = /^(.*?) in JSON at position (\d+)/.exec((err as Error).message ?? '');
  const offset = m ? Number(m[2]) : firstJsonErrorOffset(text);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return ` at line ${line} column ${column}${m ? `: ${m[1]}` : ''}`;
}

/** Offset of the first JSON syntax error in `text` (a minimal recursive-descent scan). */
export function firstJsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw new JsonSyntaxAt(i);
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else {
      const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
      if (!m) fail();
      i += m![0].length;
    }
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    ws();
    return i < text.length ? i : Math.max(0, text.length - 1);
  } catch (err) {
    return err instanceof JsonSyntaxAt ? Math.min(err.at, text.length) : 0;
  }
}

/** Where the scan above stopped (internal control flow, never escapes). */
class JsonSyntaxAt extends Error {
  constructor(readonly at: number) {
    super('JSON syntax error');
  }
}

/** Merges configs; later ones win for `kinds` and `intervals`, `notSecret` lists add up. */
export function mergeDetectConfigs(...configs: Array<DetectConfig | undefined>): DetectConfig {
  const out: DetectConfig = {};
  for (const c of configs) {
    if (!c) continue;
    if (c.notSecret) out.notSecret = [...(out.notSecret ?? []), ...c.notSecret];
    if (c.kinds) out.kinds = { ...out.kinds, ...c.kinds };
    if (c.intervals) out.intervals = { ...out.intervals, ...c.intervals };
  }
  return out;
}

const matcherCache = new Map<string, (s: string) => boolean>();

function globMatcher(pattern: string, key: boolean): (s: string) => boolean {
  const id = `${key ? 'k' : 'p'}:${pattern}`;
  let m = matcherCache.get(id);
  if (!m) {
    if (!/[*?[{]/.test(pattern)) m = (s) => s === pattern;
    else if (key) {
      const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      m = (s) => re.test(s);
    } else m = picomatch(pattern, { dot: true });
    if (matcherCache.size > 500) matcherCache.clear();
    matcherCache.set(id, m);
  }
  return m;
}

/**
 * Which config entry matches `key` in the file at `relativePath`: a `path:KEY` entry first,
 * then a bare `KEY`. Returns the matching entry, or undefined.
 */
export function configLookup(entries: Iterable<string>, relativePath: string | undefined, key: string): string | undefined {
  const rel = relativePath?.split(path.sep).join('/');
  let bare: string | undefined;
  for (const entry of entries) {
    const colon = entry.lastIndexOf(':');
    if (colon > 0) {
      if (rel !== undefined && globMatcher(entry.slice(0, colon), false)(rel) && globMatcher(entry.slice(colon + 1), true)(key)) return entry;
    } else if (bare === undefined && globMatcher(entry, true)(key)) bare = entry;
  }
  return bare;
}

/** The value a `kinds`/`intervals` map gives `key` (a `path:KEY` entry wins over `KEY`). */
export function configValue<T>(map: Record<string, T> | undefined, relativePath: string | undefined, key: string): T | undefined {
  if (!map) return undefined;
  const hit = configLookup(Object.keys(map), relativePath, key);
  return hit === undefined ? undefined : map[hit];
}
