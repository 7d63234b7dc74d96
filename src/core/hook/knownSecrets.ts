import * as path from 'node:path';
import type { KindId } from '../catalog/types';
import { detectSecrets } from '../detect/detect';
import type { DetectConfig } from '../detect/types';
import { parseEnv } from '../env/parse';
import { DEFAULT_MAX_BYTES, readEnvFile } from '../fs/readTextFile';
import { classifyEnvFileName } from '../workspace/envFileNames';
import { findEnvFiles } from '../workspace/findEnvFiles';
import { DEFAULT_MIN_VALUE_LENGTH } from './hookConfig';

/** A secret of the work tree's `.env` files, as the hooks search for it. */
export interface KnownSecret {
  key: string;
  kind: KindId;
  /** Repository-relative `/` path of the `.env` file that holds it (absolute when outside the root). */
  file: string;
  /** 1-based line of the entry. */
  line: number;
  /**
   * The strings searched for in staged or pushed content: the value itself, or for a multi-line
   * value (a PEM key) its long lines. Secret material: compared in memory, never reported.
   */
  needles: string[];
}

export interface KnownSecretsOptions {
  detect?: DetectConfig;
  /** Shortest value searched for (default 8). */
  minLength?: number;
  maxBytes?: number;
  signal?: AbortSignal;
  /** The `.env`-family files to read (absolute); default: found by walking `root`. */
  files?: string[];
}

export interface KnownSecrets {
  secrets: KnownSecret[];
  /** Absolute paths of the `.env` files read. */
  files: string[];
}

/** Lines of a multi-line value shorter than this are not searched alone (`-----END…`, blank lines). */
const MIN_LINE_NEEDLE = 20;

/**
 * The secrets of the live `.env` files (and their backups) under `root`, git-ignored ones
 * included: those are the values that must not reach a commit anywhere else. Templates are left
 * out (their values are examples), as are suppressed entries (`# rekey-ignore`) and values
 * shorter than `minLength`. Unreadable files are skipped: the hook must not fail on them.
 */
export async function loadKnownSecrets(root: string, options: KnownSecretsOptions = {}): Promise<KnownSecrets> {
  const minLength = options.minLength ?? DEFAULT_MIN_VALUE_LENGTH;
  const found = options.files ?? (await findEnvFiles(root, { signal: options.signal }).catch(() => [] as string[]));
  const files = found.filter((f) => classifyEnvFileName(f) !== 'template');
  const secrets: KnownSecret[] = [];
  const texts = await Promise.all(files.map((f) => readEnvFile(f, options.maxBytes ?? DEFAULT_MAX_BYTES)));
  files.forEach((file, i) => {
    const read = texts[i];
    if (!read?.ok) return;
    const rel = relativePath(root, file);
    const parsed = parseEnv(read.text);
    for (const s of detectSecrets(parsed, read.text, { ...(options.detect ? { config: options.detect } : {}), relativePath: rel })) {
      if (s.suppressed) continue;
      const needles = needlesOf(s.entry.value, minLength);
      if (needles.length === 0) continue;
      secrets.push({ key: s.entry.key, kind: s.kind, file: rel, line: s.entry.range.start.line + 1, needles });
    }
  });
  return { secrets, files };
}

/** What to search for to find `value` in a line-oriented diff. */
export function needlesOf(value: string, minLength = DEFAULT_MIN_VALUE_LENGTH): string[] {
  if (!/[\n\r]/.test(value)) return value.length >= minLength ? [value] : [];
  const out = new Set<string>();
  for (const raw of value.split(/\r?\n|\r/)) {
    const l = raw.trim();
    if (l.length >= Math.max(minLength, MIN_LINE_NEEDLE) && !/^-----(BEGIN|END) /.test(l)) out.add(l);
  }
  return [...out];
}

function relativePath(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return abs;
  return rel.split(path.sep).join('/');
}
