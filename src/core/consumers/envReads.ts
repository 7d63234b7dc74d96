import { findCodeReferences, findShellReferences } from './codeReferences';

/*
 * Where program code reads an environment variable, seen from the code side: which key is read
 * at a position (hover, Go to Definition), which keys a file reads (the undefined-key check),
 * and whether the cursor is where a key name goes (completion). The accessor patterns are the
 * ones the consumer search uses (rotation/codeReferences), so both agree on what a read is.
 */

/** How a file's language reads the environment: program accessors, shell `${X}`, or both. */
export type EnvReadDialect = 'code' | 'shell' | 'both';

/** One read of a key: offsets of the key name and a value-free description of the accessor. */
export interface EnvRead {
  key: string;
  start: number;
  end: number;
  accessor: string;
}

const CODE_LANGUAGES = new Set(['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'vue', 'svelte', 'astro', 'python', 'ruby', 'go', 'php', 'java', 'kotlin', 'csharp', 'rust', 'elixir']);
const SHELL_LANGUAGES = new Set(['shellscript', 'yaml', 'dockercompose', 'dockerfile', 'makefile', 'properties', 'toml', 'ini']);

/** The dialect of a VS Code language id, or undefined when rekey does not look for reads in it. */
export function envReadDialect(languageId: string): EnvReadDialect | undefined {
  if (CODE_LANGUAGES.has(languageId)) return 'code';
  if (SHELL_LANGUAGES.has(languageId)) return 'shell';
  return undefined;
}

const NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const NAME_CHAR = /[A-Za-z0-9_.-]/;

function refsOf(text: string, key: string, dialect: EnvReadDialect): Array<{ offset: number; detail: string }> {
  const out: Array<{ offset: number; detail: string }> = [];
  if (dialect !== 'shell') out.push(...findCodeReferences(text, key));
  // `$$KEY` is Compose's escape for a literal `$`: the container's shell reads it, not the `.env`.
  if (dialect !== 'code') out.push(...findShellReferences(text, key).filter((r) => !r.sets && !(text[r.offset - 1] === '$' && text[r.offset - 2] === '$')));
  return out;
}

/** The read whose key name spans `offset` (cursor inside or right after the name), if any. */
export function envReadAt(text: string, offset: number, dialect: EnvReadDialect): EnvRead | undefined {
  let start = Math.min(offset, text.length);
  while (start > 0 && NAME_CHAR.test(text[start - 1] as string)) start--;
  // Dotted names (`process.env.A.B`) are not keys: restart after the last dot left of the cursor.
  NAME.lastIndex = start;
  let m = NAME.exec(text);
  while (m && m[0].includes('.') && start + m[0].indexOf('.') < offset) {
    start += m[0].indexOf('.') + 1;
    NAME.lastIndex = start;
    m = NAME.exec(text);
  }
  if (!m || m[0] === '') return undefined;
  // The plain identifier first (`process.env.KEY.trim()`), then a dotted key (`env['a.b']`).
  const candidates = new Set([m[0].split('.')[0] as string, m[0]]);
  for (const key of candidates) {
    if (key === '' || offset > start + key.length) continue;
    // Only the neighbourhood matters: accessors sit within 64 characters of the key.
    const from = Math.max(0, start - 80);
    const window = text.slice(from, start + key.length + 24);
    const ref = refsOf(window, key, dialect).find((r) => from + r.offset === start);
    if (ref) return { key, start, end: start + key.length, accessor: ref.detail };
  }
  return undefined;
}

/** Names written right after something that reads the environment: candidates to confirm. */
const CANDIDATE = /(?:env|ENV|environ|getenv|Getenv|LookupEnv|var)\??\.?(?:\[|\(|\.|\.get\(|\.fetch\(|\.str\()\s*['"`]?([A-Za-z_][A-Za-z0-9_]*)|\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/** Every read of an environment variable in `text`, in order. */
export function envReadsIn(text: string, dialect: EnvReadDialect): EnvRead[] {
  const keys = new Set<string>();
  for (const m of text.matchAll(CANDIDATE)) {
    const k = m[1] ?? m[2];
    if (k) keys.add(k);
  }
  const out: EnvRead[] = [];
  for (const key of keys) for (const r of refsOf(text, key, dialect)) out.push({ key, start: r.offset, end: r.offset + key.length, accessor: r.detail });
  return out.sort((a, b) => a.start - b.start);
}

/** Where a key name is being typed: what is typed so far, and the quote that closes it. */
export interface KeyCompletionContext {
  /** The part of the key already typed (may be empty). */
  prefix: string;
  /** The quote the accessor opened, when the key goes in quotes. */
  quote?: string;
}

const CODE_OPENERS: RegExp[] = [
  /(?:process|Bun)\.env\??\.([A-Za-z_][A-Za-z0-9_]*)?$/,
  /import\.meta\.env\??\.([A-Za-z_][A-Za-z0-9_]*)?$/,
  /(?:process\.env|import\.meta\.env|os\.environ|\bENV|\$_ENV|\$_SERVER)\[\s*(['"`])([A-Za-z_][A-Za-z0-9_]*)?$/,
  /(?:os\.environ\.get|os\.getenv|\bENV\.fetch|(?<![\w.$>])getenv|os\.Getenv|os\.LookupEnv|Deno\.env\.get|System\.getenv|(?<![\w.$>])env)\(\s*(['"`])([A-Za-z_][A-Za-z0-9_]*)?$/,
];
const SHELL_OPENER = /(?<!\\)\$\{([A-Za-z_][A-Za-z0-9_]*)?$/;

/**
 * Whether the text before the cursor ends where an environment key name goes
 * (`process.env.`, `os.environ["`, `getenv('`, `${` ...), and what of it is typed.
 */
export function keyCompletionContext(lineBefore: string, dialect: EnvReadDialect): KeyCompletionContext | undefined {
  if (dialect !== 'shell') {
    for (const re of CODE_OPENERS) {
      const m = re.exec(lineBefore);
      if (!m) continue;
      if (m.length === 2) return { prefix: m[1] ?? '' };
      return { prefix: m[2] ?? '', quote: m[1] as string };
    }
  }
  if (dialect !== 'code') {
    const m = SHELL_OPENER.exec(lineBefore);
    if (m) return { prefix: m[1] ?? '' };
  }
  return undefined;
}
