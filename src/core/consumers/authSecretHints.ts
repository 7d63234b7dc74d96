import { closeSync, fstatSync, openSync, promises as fs, readSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../log';
import { filesContaining, listWorkspaceFiles } from '../workspace/workspaceFiles';

/*
 * Which env keys a workspace's code hands to an authentication library as its signing secret.
 * A key's name may say nothing about sessions (`PROXYOS_SECRET`), yet if the code does
 * `betterAuth({ secret: process.env.PROXYOS_SECRET })`, changing it logs every user out: the
 * key is a `session-signing` secret. The result feeds `DetectOptions.kindHints`.
 *
 * This is a focused, fast scan (one regular expression pass per source file), not a parser: it
 * recognises the common shapes of each library's setup call. Property shapes that other code
 * shares (`secret:`, `password:`, `key:`) count only in files that import one of the libraries
 * that take them; call shapes specific to a library (`cookieParser(...)`, `jwt.sign(...)`,
 * Django's `SECRET_KEY = ...`) count anywhere.
 */

/** A key the code uses as a session-signing secret, and where. */
export interface AuthSecretHint {
  kind: 'session-signing';
  /** `relative/path:line` (1-based), for evidence and messages. */
  detail: string;
  /** The library or framework that receives the key ("better-auth", "Django"...). */
  consumer: string;
  /** Absolute path and 1-based line of the use. */
  file: string;
  line: number;
}

/** One use found in a source text. */
export interface AuthSecretUse {
  key: string;
  /** 0-based line. */
  line: number;
  consumer: string;
}

export interface AuthSecretHintOptions {
  /** Whether git may run (finds candidate files with `git grep`); otherwise `.gitignore` files are read. */
  trusted?: boolean;
  signal?: AbortSignal;
  /** Candidate source files read at most (default 20 000). */
  maxFiles?: number;
  /** Larger files are skipped (default 1 MiB): bundles and generated code. */
  maxBytes?: number;
  logger?: Logger;
}

type Language = 'js' | 'py' | 'rb' | 'go';

/** Files read between two yields to the event loop. */
const BATCH = 200;

const LANGUAGE_BY_EXT: Record<string, Language> = {
  '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'js', '.ts': 'js', '.mts': 'js', '.cts': 'js', '.tsx': 'js',
  '.py': 'py', '.rb': 'rb', '.go': 'go',
};

const KEY = String.raw`[A-Za-z_][A-Za-z0-9_]*`;
const Q = `['"\`]`;

/** Reading an env key in JS/TS: `process.env.K`, `process.env['K']`, `import.meta.env.K`, `env.K`, `Deno.env.get('K')`, `config.get('K')`. */
const JS_ENV = [
  String.raw`(?:\bprocess\.env|\bimport\.meta\.env|\bBun\.env|\b[eE]nv|\bENV)(?:\??\.(?:${KEY})|\??\.?\[\s*${Q}${KEY}${Q}\s*\])`,
  String.raw`\bDeno\.env\.get\(\s*${Q}${KEY}${Q}`,
  String.raw`\b\w*(?:[cC]onfig|[eE]nv)\w*\.get(?:OrThrow)?(?:<[^<>()]*>)?\(\s*${Q}${KEY}${Q}`,
].join('|');
const JS_VALUE = String.raw`(?:\[\s*)?(?:new\s+TextEncoder\(\)\.encode\(\s*|Buffer\.from\(\s*|String\(\s*)?(?:${JS_ENV})`;
const PY_ENV = String.raw`(?:\bos\.environ\[\s*${Q}${KEY}${Q}\s*\]|\bos\.environ\.get\(\s*${Q}${KEY}${Q}|\bos\.getenv\(\s*${Q}${KEY}${Q}|\benv(?:\.str)?\(\s*${Q}${KEY}${Q}|\bconfig\(\s*${Q}${KEY}${Q})`;
const RB_ENV = String.raw`\bENV(?:\[\s*${Q}${KEY}${Q}\s*\]|\.fetch\(\s*${Q}${KEY}${Q})`;
const GO_ENV = String.raw`\bos\.(?:Getenv|LookupEnv)\(\s*"${KEY}"\s*\)`;

/** Which property names mean "signing secret" for which imported libraries. */
const JS_PROPERTY_LIBRARIES: Array<{ re: RegExp; consumer: string; props: string[] }> = [
  { re: /^better-auth(\/|$)/, consumer: 'better-auth', props: ['secret'] },
  { re: /^(next-auth|@auth\/)/, consumer: 'NextAuth/Auth.js', props: ['secret'] },
  { re: /^(lucia|@lucia-auth\/)/, consumer: 'Lucia', props: ['secret'] },
  { re: /^express-session$/, consumer: 'express-session', props: ['secret'] },
  { re: /^(cookie-session|koa-session)$/, consumer: 'cookie-session', props: ['keys', 'secret'] },
  { re: /^iron-session(\/|$)/, consumer: 'iron-session', props: ['password'] },
  { re: /^(@hapi\/cookie|@hapi\/yar)$/, consumer: 'hapi', props: ['password'] },
  { re: /^(h3|nuxt-auth-utils)$/, consumer: 'h3 sessions', props: ['password'] },
  { re: /^(@fastify\/(jwt|session|cookie)|fastify-(jwt|session|cookie))$/, consumer: 'fastify', props: ['secret'] },
  { re: /^(@fastify\/secure-session|fastify-secure-session)$/, consumer: 'fastify secure-session', props: ['secret', 'key'] },
  { re: /^(hono\/jwt|hono\/cookie|@elysiajs\/jwt|koa-jwt|express-jwt|@nestjs\/jwt|@hapi\/jwt)$/, consumer: 'JWT middleware', props: ['secret', 'secretOrPrivateKey', 'secretOrPublicKey'] },
  { re: /^passport-jwt$/, consumer: 'passport-jwt', props: ['secretOrKey'] },
  { re: /^(jsonwebtoken|jose)$/, consumer: 'JWT library', props: ['secret'] },
];

// `^[ \t]*import`, not `^\s*import`: `\s*` from every line start would cross the blank lines
// below it, quadratic in a file of many.
const IMPORT_RE = /(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*|^[ \t]*import\s+)['"]([^'"\n]+)['"]/gm;

/*
 * One expression per language; each alternative is a named group so a match says what it is.
 * `prop`: `secret: <env>` (and its siblings), counted only for libraries the file imports.
 * `propVar`: `secret: name` or `{ secret }`, resolved through `decl` (`const name = <env>`).
 */
const JS_RE = new RegExp(
  [
    String.raw`(?<decl>\b(?:const|let|var)\s+(?<declName>[A-Za-z_$][\w$]*)\s*(?::\s*[\w.<>| ]+?\s*)?=\s*(?:${JS_VALUE}))`,
    String.raw`(?<prop>(?<![\w$.])(?<propName>secret|secretOrKey|secretOrPrivateKey|secretOrPublicKey|password|keys|key)\s*:\s*${JS_VALUE})`,
    String.raw`(?<propVar>(?<![\w$.])(?<propVarName>secret|secretOrKey|password|keys|key)\s*(?::\s*(?:\[\s*)?(?<propVarRef>[A-Za-z_$][\w$]*)\s*[,}\]\n]|(?=[,}\n])))`,
    String.raw`(?<cookieParser>\bcookieParser\(\s*(?:${JS_VALUE}))`,
    String.raw`(?<jwtCall>\b(?:jwt|jsonwebtoken|JWT|Jwt)\.(?:sign|verify)\((?:[^;()]|\([^;()]*\)){0,400}?,\s*(?:${JS_VALUE}|(?<jwtVarRef>[A-Za-z_$][\w$]*)\s*[,)]))`,
    String.raw`(?<jose>\bnew\s+TextEncoder\(\)\.encode\(\s*(?:${JS_ENV}))`,
    String.raw`(?<koaKeys>\.keys\s*=\s*\[\s*(?:${JS_ENV}))`,
  ].join('|'),
  'g',
);

const PY_RE = new RegExp(
  [
    String.raw`(?<django>\b(?:JWT_)?SECRET_KEY${Q}?\s*\]?\s*=\s*(?:str\(\s*)?${PY_ENV})`,
    String.raw`(?<flask>\bsecret_key\s*=\s*(?:str\(\s*)?${PY_ENV})`,
  ].join('|'),
  'g',
);

const RB_RE = new RegExp(String.raw`(?<rails>\bsecret_key_base\s*(?:=|:)\s*(?:<%=\s*)?${RB_ENV})`, 'g');

const GO_RE = new RegExp(
  [
    String.raw`(?<goSessions>\b(?:sessions\.NewCookieStore|sessions\.NewFilesystemStore\([^,()]*,|securecookie\.New)\(\s*\[\]byte\(\s*${GO_ENV})`,
    String.raw`(?<goBytes>\[\]byte\(\s*${GO_ENV}\s*\))`,
  ].join('|'),
  'g',
);

/** The key read by the last env access in `snippet`. */
const KEY_IN = new RegExp(String.raw`${Q}(${KEY})${Q}|\.(${KEY})\s*$|\.(${KEY})(?=[\s,)\]}!;]|\sas\s|$)`, 'g');
function lastKey(snippet: string): string | undefined {
  let key: string | undefined;
  for (const m of snippet.matchAll(KEY_IN)) key = m[1] ?? m[2] ?? m[3] ?? key;
  return key;
}

/*
 * What a text must contain for any shape above to count, whatever the language: an auth library's
 * import name or a library-specific call (`cookieParser`, `jwt.`, Koa's `.keys =`, Django's
 * `SECRET_KEY`, Go's `[]byte(`), in any case. A superset of the expressions, so checking it first
 * changes no result and spares them nearly every file; a shape added above needs its word here.
 */
const MAY_HOLD_USE = new RegExp(
  [
    'better-auth', 'next-auth', '@auth/', 'lucia', 'express-session', 'cookie-session', 'koa-session', 'iron-session',
    '@hapi/cookie', '@hapi/yar', 'nuxt-auth-utils', 'fastify', 'jwt', 'hono/cookie', 'jsonwebtoken', 'jose', 'cookieParser',
    'secret_key', '[]byte(', `'h3'`, `'h3"`, `"h3'`, `"h3"`,
  ].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).concat(String.raw`\.keys\s*=`).join('|'),
  'i',
);
const SOURCE_GLOBS = Object.keys(LANGUAGE_BY_EXT).map((ext) => `*${ext}`);

const CONSUMER_BY_GROUP: Record<string, string> = {
  cookieParser: 'cookie-parser', jwtCall: 'jsonwebtoken', koaKeys: 'Koa', django: 'Django/Flask', flask: 'Flask',
  rails: 'Rails', goSessions: 'gorilla/sessions', goBytes: 'Go JWT/sessions',
};

/**
 * Uses of env keys as an auth library's signing secret in one source text. Pure and fast (one
 * pass of one expression); `language` picks the expression.
 */
export function authSecretUses(text: string, language: Language): AuthSecretUse[] {
  // Nearly every file: no env access at all.
  if (!/env|ENV|environ|Getenv/.test(text) || !MAY_HOLD_USE.test(text)) return [];
  const out: AuthSecretUse[] = [];
  const lines = new LineCounter(text);
  if (language === 'js') return jsUses(text, lines);
  const re = language === 'py' ? PY_RE : language === 'rb' ? RB_RE : GO_RE;
  const goGated = language === 'go' && /"github\.com\/(golang-jwt\/jwt|dgrijalva\/jwt-go|gorilla\/sessions|gorilla\/securecookie)/.test(text);
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) {
    const group = Object.entries(m.groups ?? {}).find(([, v]) => v !== undefined)?.[0];
    if (!group || (group === 'goBytes' && !goGated)) continue;
    const key = lastKey(m[0]);
    if (key) out.push({ key, line: lines.lineOf(m.index), consumer: CONSUMER_BY_GROUP[group] ?? group });
  }
  return out;
}

function jsUses(text: string, lines: LineCounter): AuthSecretUse[] {
  const imported: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) if (m[1]) imported.push(m[1]);
  const libraries = JS_PROPERTY_LIBRARIES.filter((l) => imported.some((i) => l.re.test(i)));
  const props = new Map<string, string>();
  for (const l of libraries) for (const p of l.props) if (!props.has(p)) props.set(p, l.consumer);

  const joseImported = imported.includes('jose');
  const out: AuthSecretUse[] = [];
  const vars = new Map<string, string>();
  const pending: Array<{ name: string; index: number; consumer: string }> = [];
  for (const m of text.matchAll(JS_RE)) {
    const g = m.groups ?? {};
    const index = m.index;
    if (g.decl !== undefined) {
      const key = lastKey(g.decl);
      if (key && g.declName) vars.set(g.declName, key);
      // `const key = new TextEncoder().encode(process.env.X)` is how jose takes an HMAC secret.
      if (key && joseImported && g.decl.includes('TextEncoder')) out.push({ key, line: lines.lineOf(index), consumer: 'jose' });
      continue;
    }
    if (g.prop !== undefined) {
      const consumer = props.get(g.propName ?? '');
      const key = lastKey(g.prop);
      if (consumer && key && !unrelatedObject(text, index) && !UNRELATED_KEY.test(key)) out.push({ key, line: lines.lineOf(index), consumer });
      continue;
    }
    if (g.propVar !== undefined) {
      const consumer = props.get(g.propVarName ?? '');
      if (consumer && !unrelatedObject(text, index)) pending.push({ name: g.propVarRef ?? g.propVarName ?? '', index, consumer });
      continue;
    }
    if (g.cookieParser !== undefined || g.koaKeys !== undefined) {
      const key = lastKey(m[0]);
      if (key) out.push({ key, line: lines.lineOf(index), consumer: g.cookieParser !== undefined ? 'cookie-parser' : 'Koa' });
      continue;
    }
    if (g.jwtCall !== undefined) {
      if (g.jwtVarRef !== undefined) {
        pending.push({ name: g.jwtVarRef, index, consumer: 'jsonwebtoken' });
        continue;
      }
      const key = lastKey(g.jwtCall);
      if (key) out.push({ key, line: lines.lineOf(index), consumer: 'jsonwebtoken' });
      continue;
    }
    if (g.jose !== undefined && joseImported) {
      const key = lastKey(g.jose);
      if (key) out.push({ key, line: lines.lineOf(index), consumer: 'jose' });
    }
  }
  // Shorthand and variable references resolve against declarations anywhere in the file.
  for (const p of pending) {
    const key = vars.get(p.name);
    if (key && !UNRELATED_KEY.test(key)) out.push({ key, line: lines.lineOf(p.index), consumer: p.consumer });
  }
  return out;
}

/*
 * A file that imports an auth library may also configure other things that take a `secret`
 * (webhook verifiers, database pools). The generic property shapes skip objects passed to or
 * assigned from such things, and keys whose names say they are something else.
 */
const UNRELATED_NAME = /webhook|stripe|svix|hmac|octokit|slack|signature|mail|smtp|database|\bdb\b|pool|redis|knex|sequelize|prisma|mongo|s3|aws/i;
const UNRELATED_KEY = /WEBHOOK|STRIPE|SVIX|SMTP|MAIL|DATABASE|POSTGRES|MYSQL|MONGO|REDIS|AWS_|S3_|TWILIO/i;

/** Whether the object literal around `index` is passed to (or named as) something unrelated to auth. */
function unrelatedObject(text: string, index: number): boolean {
  let depth = 0;
  const stop = Math.max(0, index - 4000);
  for (let j = index - 1; j >= stop; j--) {
    const c = text.charCodeAt(j);
    if (c === 125 /* } */) depth++;
    else if (c === 123 /* { */) {
      if (depth > 0) {
        depth--;
        continue;
      }
      const before = text.slice(Math.max(0, j - 160), j);
      const m = /([\w$.]+)\s*\(\s*(?:[\w$.]+\s*,\s*)?$/.exec(before) ?? /([\w$.]+)\s*(?::\s*[\w$.<>[\]| ]+)?\s*=\s*$/.exec(before);
      return m !== null && UNRELATED_NAME.test(m[1] ?? '');
    }
  }
  return false;
}

/** 0-based line of an offset; cheap for increasing offsets (counts only the new stretch). */
class LineCounter {
  private pos = 0;
  private line = 0;
  constructor(private readonly text: string) {}
  lineOf(index: number): number {
    if (index < this.pos) {
      this.pos = 0;
      this.line = 0;
    }
    for (let i = this.text.indexOf('\n', this.pos); i !== -1 && i < index; i = this.text.indexOf('\n', i + 1)) this.line++;
    this.pos = index;
    return this.line;
  }
}

/**
 * Scans the workspace under `root` (a folder; a file's folder is used for a file) for env keys
 * handed to authentication libraries as their signing secret. Skips dependency folders,
 * git-ignored files and files over `maxBytes`. Never throws for unreadable files.
 * @returns key → hint, the first use found (in path order) for each key.
 */
export async function findAuthSecretHints(root: string, options: AuthSecretHintOptions = {}): Promise<Map<string, AuthSecretHint>> {
  let dir = path.resolve(root);
  const st = await fs.stat(dir).catch(() => undefined);
  if (!st) return new Map();
  if (!st.isDirectory()) dir = path.dirname(dir);
  const maxFiles = options.maxFiles ?? 20_000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const signal = options.signal ? { signal: options.signal } : {};
  // Every use reads the environment: one `git grep` for `env` (any case: `ENV`, `os.Getenv`) names
  // the few source files worth reading. Without git, every source file is read.
  const all = (await filesContaining(dir, ['env'], { trusted: options.trusted === true, ignoreCase: true, names: SOURCE_GLOBS, ...signal }))
    ?? (await listWorkspaceFiles(dir, { trusted: false, ...signal }));
  const sources = all.filter((f) => LANGUAGE_BY_EXT[path.extname(f).toLowerCase()] !== undefined && !f.endsWith('.d.ts'));
  if (sources.length > maxFiles) options.logger?.warn(`consumer scan: ${sources.length} source files under ${dir}; reading the first ${maxFiles}`);
  const files = sources.slice(0, maxFiles);

  // Synchronous reads in small batches: for thousands of small files, fs.promises costs ten
  // times more than the reads themselves; yielding between batches keeps the caller's event
  // loop (the extension host) responsive and lets an abort stop the scan.
  const results: AuthSecretUse[][] = [];
  const buffer = Buffer.allocUnsafe(maxBytes);
  for (let i = 0; i < files.length; i++) {
    if (i % BATCH === 0 && i > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
    }
    results.push(usesInFile(files[i] as string, buffer));
  }

  const hints = new Map<string, AuthSecretHint>();
  files.forEach((file, i) => {
    for (const use of results[i] ?? []) {
      if (hints.has(use.key)) continue;
      const rel = path.relative(dir, file).split(path.sep).join('/');
      hints.set(use.key, { kind: 'session-signing', detail: `${rel}:${use.line + 1}`, consumer: use.consumer, file, line: use.line + 1 });
    }
  });
  return hints;
}

/** Uses in one file, read into `buffer` (whose size is the cap); unreadable or larger files give none. */
function usesInFile(file: string, buffer: Buffer): AuthSecretUse[] {
  const language = LANGUAGE_BY_EXT[path.extname(file).toLowerCase()];
  if (!language) return [];
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > buffer.length) return [];
    let n = 0;
    while (n < st.size) {
      const got = readSync(fd, buffer, n, st.size - n, n);
      if (got === 0) break;
      n += got;
    }
    return authSecretUses(buffer.toString('utf8', 0, n), language);
  } catch {
    return [];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
