import * as path from 'node:path';
import type { EnvEntry, ParsedEnv } from '../env/types';
import type { Range } from '../text/lineIndex';
import type { EnvFileRole } from '../workspace/envFileNames';
import { findUrlPassword } from './urlPassword';

/*
 * Entries that hold the same secret as the key being rotated and must change with it: the
 * password inside a connection URL, the same value under another key or in another `.env` file,
 * and `${KEY}` references that dotenv-expand resolves (those follow on their own). Forgetting the
 * `DATABASE_URL` that embeds `POSTGRES_PASSWORD` is the classic partial rotation.
 */

export type LinkRelation = 'url-password' | 'same-value' | 'reference';

/**
 * `rewrite`: rekey changes it together with the key. `follows`: it refers to the key and takes
 * the new value without an edit. `review`: probably related, shown but not changed.
 */
export type LinkAction = 'rewrite' | 'follows' | 'review';

/** A linked entry, value-free apart from the offsets needed to edit it. */
export interface LinkedEntry {
  /** Absolute path of the `.env`-family file. */
  file: string;
  key: string;
  /** 0-based line of the entry, and the range of its raw value. */
  line: number;
  range: Range;
  relation: LinkRelation;
  action: LinkAction;
  /** What happens to it, in words (never the value). */
  description: string;
  /** Raw value offsets in the file text (`valueStart`, `valueEnd`): the span an edit replaces. */
  valueStart: number;
  valueEnd: number;
  /** Part of the decoded value that holds the secret (the encoded password for a URL). */
  span: { start: number; end: number };
  /** Index of the entry in its parsed file. */
  entryIndex: number;
}

/** A `.env`-family file as the link search sees it. `text` is secret material. */
export interface LinkSearchFile {
  path: string;
  role: EnvFileRole;
  text: string;
  parsed: ParsedEnv;
}

/** What is being rotated: the entry and the secret inside it (the whole value or a URL password). */
export interface LinkTarget {
  file: string;
  entry: EnvEntry;
  /** The secret itself (decoded). */
  secret: string;
}

/** Values shorter than this are too likely to collide (`postgres`, `changeme`) to rewrite by equality. */
const MIN_EQUALITY_LENGTH = 12;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/** Whether a raw value refers to `key` the way dotenv-expand resolves: `${KEY}`, `${KEY:-x}`, `$KEY`. */
export function referencesKey(rawValue: string, key: string): boolean {
  const k = escapeRe(key);
  return new RegExp(`(^|[^\\\\])\\$(\\{${k}(:?[-=+?][^}]*)?\\}|${k}(?![A-Za-z0-9_]))`).test(rawValue);
}

function lastDefinitions(parsed: ParsedEnv): EnvEntry[] {
  const last = new Map<string, EnvEntry>();
  for (const e of parsed.entries) last.set(e.key, e);
  return [...last.values()].sort((a, b) => a.index - b.index);
}

/**
 * Finds every entry in `files` linked to `target`. The target entry itself is left out; backups
 * are never searched (they are the rollback point); templates holding the value are reported for
 * review only, since rekey will not write a secret into a file meant to be committed.
 */
export function findLinkedEntries(target: LinkTarget, files: LinkSearchFile[]): LinkedEntry[] {
  const out: LinkedEntry[] = [];
  const targetFile = path.resolve(target.file);
  const secret = target.secret;
  const base = path.basename(targetFile);
  for (const f of files) {
    if (f.role === 'backup') continue;
    const sameFile = path.resolve(f.path) === targetFile;
    for (const e of lastDefinitions(f.parsed)) {
      if (sameFile && e.index === target.entry.index) continue;
      const common = {
        file: path.resolve(f.path), key: e.key, line: e.range.start.line, range: e.valueRange,
        valueStart: e.valueStart, valueEnd: e.valueEnd, entryIndex: e.index,
      };
      const template = f.role === 'template';
      const url = secret.length > 0 ? findUrlPassword(e.value) : undefined;
      if (url && url.decoded === secret) {
        out.push({
          ...common, relation: 'url-password', span: { start: url.start, end: url.end },
          action: template ? 'review' : 'rewrite',
          description: template
            ? `the ${url.scheme}:// URL in this template embeds the secret; replace it with a placeholder by hand`
            : `password inside the ${url.scheme}:// URL is replaced (user, host and database unchanged)`,
        });
      } else if (secret.length > 0 && e.value === secret) {
        const short = secret.length < MIN_EQUALITY_LENGTH;
        out.push({
          ...common, relation: 'same-value', span: { start: 0, end: e.value.length },
          action: template || short ? 'review' : 'rewrite',
          description: template
            ? 'this template holds the real value; replace it with a placeholder by hand'
            : short
              ? 'holds the same value, but the value is too short to be sure it is the same secret; not rewritten, check it'
              : 'holds the same value; gets the new value too',
        });
      } else if (!template && e.key !== target.entry.key && referencesKey(e.rawValue, target.entry.key)) {
        const ref = `\${${target.entry.key}}`;
        out.push({
          ...common, relation: 'reference', span: { start: 0, end: 0 },
          action: sameFile && e.quote !== 'single' ? 'follows' : 'review',
          description: !sameFile
            ? `refers to ${ref}; it follows only where ${path.basename(f.path)} is loaded together with ${base}`
            : e.quote === 'single'
              ? `refers to ${ref} inside single quotes; some loaders keep that literally, check it`
              : `refers to ${ref}; dotenv-expand resolves it, so it follows automatically`,
        });
      }
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}
