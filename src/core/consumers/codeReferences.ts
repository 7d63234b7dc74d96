/*
 * Where program code reads an environment variable by name. Rather than one large expression per
 * language, every occurrence of the key is checked against the accessor text just before and
 * after it: cheap (files without the key are never searched) and easy to extend.
 */

/** One place a key is read or set, as offsets into the file text. */
export interface KeyReference {
  /** Offset of the key name itself. */
  offset: number;
  /** Value-free description of the accessor, e.g. `process.env.KEY`, `os.getenv("KEY")`. */
  detail: string;
  /** True when the text assigns the key a value of its own instead of reading it (a copy). */
  sets?: boolean;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

const WORD = /[A-Za-z0-9_$]/;

/** Offsets where `key` occurs as a whole name (not inside a longer identifier). */
export function keyOccurrences(text: string, key: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(key); i !== -1; i = text.indexOf(key, i + 1)) {
    const before = text[i - 1];
    const after = text[i + key.length];
    if (before !== undefined && /[A-Za-z0-9_]/.test(before)) continue;
    if (after !== undefined && /[A-Za-z0-9_]/.test(after)) continue;
    out.push(i);
  }
  return out;
}

/** Accessors written before a quoted key: `prefix("KEY")` / `prefix['KEY']`. */
const QUOTED_ACCESSORS: Array<{ before: RegExp; close: RegExp; label: (k: string, q: string) => string }> = [
  { before: /process\.env\??\.?\[\s*(['"`])$/, close: /^\s*\]/, label: (k, q) => `process.env[${q}${k}${q}]` },
  { before: /import\.meta\.env\??\.?\[\s*(['"`])$/, close: /^\s*\]/, label: (k, q) => `import.meta.env[${q}${k}${q}]` },
  { before: /Deno\.env\.get\(\s*(['"`])$/, close: /^\s*\)/, label: (k, q) => `Deno.env.get(${q}${k}${q})` },
  { before: /os\.environ\[\s*(['"])$/, close: /^\s*\]/, label: (k, q) => `os.environ[${q}${k}${q}]` },
  { before: /os\.environ\.(get|setdefault|pop)\(\s*(['"])$/, close: /^\s*[,)]/, label: (k, q) => `os.environ.get(${q}${k}${q})` },
  { before: /os\.getenv\(\s*(['"])$/, close: /^\s*[,)]/, label: (k, q) => `os.getenv(${q}${k}${q})` },
  { before: /\bENV\[\s*(['"])$/, close: /^\s*\]/, label: (k, q) => `ENV[${q}${k}${q}]` },
  { before: /\bENV\.fetch\(\s*(['"])$/, close: /^\s*[,)]/, label: (k, q) => `ENV.fetch(${q}${k}${q})` },
  { before: /System\.getenv\(\s*(")$/, close: /^\s*\)/, label: (k) => `System.getenv("${k}")` },
  { before: /System\.get_env\(\s*(")$/, close: /^\s*[,)]/, label: (k) => `System.get_env("${k}")` },
  { before: /os\.(?:Getenv|LookupEnv)\(\s*(")$/, close: /^\s*\)/, label: (k) => `os.Getenv("${k}")` },
  { before: /\benv::var(?:_os)?\(\s*(")$/, close: /^\s*\)/, label: (k) => `std::env::var("${k}")` },
  { before: /\benv!\(\s*(")$/, close: /^\s*[,)]/, label: (k) => `env!("${k}")` },
  { before: /Environment\.GetEnvironmentVariable\(\s*(")$/, close: /^\s*[,)]/, label: (k) => `Environment.GetEnvironmentVariable("${k}")` },
  { before: /\$_(?:ENV|SERVER)\[\s*(['"])$/, close: /^\s*\]/, label: (k, q) => `$_ENV[${q}${k}${q}]` },
  { before: /(?<![\w.$>])getenv\(\s*(['"])$/, close: /^\s*[,)]/, label: (k, q) => `getenv(${q}${k}${q})` },
  // Laravel, django-environ and similar helpers: `env('KEY')`, `env("KEY", default)`.
  { before: /(?<![\w.$>])env\(\s*(['"])$/, close: /^\s*[,)]/, label: (k, q) => `env(${q}${k}${q})` },
  { before: /\benv\.(?:str|bool|int|url|db_url|json)\(\s*(['"])$/, close: /^\s*[,)]/, label: (k, q) => `env.str(${q}${k}${q})` },
];

/** Accessors written before a bare key: `process.env.KEY`. */
const DOTTED_ACCESSORS: Array<{ before: RegExp; label: (k: string) => string }> = [
  { before: /process\.env\??\.$/, label: (k) => `process.env.${k}` },
  { before: /import\.meta\.env\??\.$/, label: (k) => `import.meta.env.${k}` },
  { before: /Bun\.env\.$/, label: (k) => `Bun.env.${k}` },
];

/** `const { A, KEY: alias, B = 1 } = process.env` (also `import.meta.env`), across lines. */
const DESTRUCTURE_RE = /\{([^{}]*)\}\s*=\s*(process\.env|import\.meta\.env|Bun\.env)\b/g;

/**
 * References to `key` in program source: `process.env.KEY`, `process.env['KEY']`, destructuring
 * from `process.env`, `import.meta.env.KEY`, `Deno.env.get`, Python `os.environ`/`os.getenv`,
 * Ruby `ENV[...]`/`ENV.fetch`, Java `System.getenv`, Go `os.Getenv`, Rust `std::env::var`,
 * PHP `getenv`/`$_ENV`, Laravel/django-environ `env('KEY')`, C# and Elixir accessors.
 */
export function findCodeReferences(text: string, key: string): KeyReference[] {
  const out: KeyReference[] = [];
  const seen = new Set<number>();
  for (const at of keyOccurrences(text, key)) {
    const before = text.slice(Math.max(0, at - 64), at);
    const after = text.slice(at + key.length, at + key.length + 16);
    let found = false;
    for (const a of QUOTED_ACCESSORS) {
      const m = a.before.exec(before);
      if (!m) continue;
      const q = m[m.length - 1] as string;
      if (!after.startsWith(q) || !a.close.test(after.slice(1))) continue;
      out.push({ offset: at, detail: a.label(key, q) });
      found = true;
      break;
    }
    if (found) {
      seen.add(at);
      continue;
    }
    if (after[0] !== undefined && WORD.test(after[0])) continue;
    for (const a of DOTTED_ACCESSORS) {
      if (!a.before.test(before)) continue;
      out.push({ offset: at, detail: a.label(key) });
      seen.add(at);
      break;
    }
  }
  if (text.includes('env')) {
    let keyRe: RegExp | undefined;
    for (const m of text.matchAll(DESTRUCTURE_RE)) {
      const body = m[1] as string;
      if (!body.includes(key)) continue;
      keyRe ??= new RegExp(`(^|[\\s,{])(${escapeRe(key)})\\s*(?=[,}:=]|$)`, 'g');
      const bodyStart = (m.index ?? 0) + 1;
      for (const k of body.matchAll(keyRe)) {
        const at = bodyStart + (k.index ?? 0) + (k[1] as string).length;
        if (seen.has(at)) continue;
        seen.add(at);
        out.push({ offset: at, detail: `const { ${key} } = ${m[2] as string}` });
      }
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/**
 * Shell-style references: `$KEY`, `${KEY}`, `${KEY:-default}`, `${KEY?}`..., and assignments
 * `KEY=...` / `export KEY=...` at the start of a line (a copy of the value that will not follow
 * the `.env`). `$$KEY` is Compose's escape for a literal `$`; it is reported as a container-side
 * shell reference by the caller, not here.
 */
export function findShellReferences(text: string, key: string, options: { assignments?: boolean } = {}): KeyReference[] {
  const out: KeyReference[] = [];
  for (const at of keyOccurrences(text, key)) {
    const p1 = text[at - 1];
    const p2 = text[at - 2];
    const after = text[at + key.length];
    if (p1 === '$' && p2 !== '\\') {
      out.push({ offset: at, detail: `$${key}` });
    } else if (p1 === '{' && p2 === '$' && text[at - 3] !== '\\' && after !== undefined && /[}:\-?+=#%/]/.test(after)) {
      out.push({ offset: at, detail: `\${${key}}` });
    } else if (options.assignments && after === '=') {
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      const lead = text.slice(lineStart, at);
      if (/^\s*(export\s+|readonly\s+|local\s+|declare\s+(-\w+\s+)?)?$/.test(lead)) out.push({ offset: at, detail: `${key}=…`, sets: true });
    }
  }
  return out;
}
