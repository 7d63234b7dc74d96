/**
 * Which file names belong to the `.env` family: `.env`, `.env.*`, `*.env`, in any folder,
 * excluding source files that merely share the prefix (`.env.js`, `config.env.ts`).
 */

/** Extensions that make a `.env.*` name a program or document rather than an env file. */
const CODE_EXTENSIONS = new Set([
  'js', 'cjs', 'mjs', 'jsx', 'ts', 'cts', 'mts', 'tsx', 'json', 'jsonc', 'map', 'py', 'rb', 'go', 'rs', 'java',
  'kt', 'php', 'cs', 'swift', 'md', 'txt', 'html', 'css', 'scss', 'yml', 'yaml', 'toml', 'xml', 'lock', 'sh',
  'ps1', 'bat', 'cmd', 'vue', 'svelte', 'astro', 'd', 'gz', 'zip', 'tar', 'enc', 'gpg', 'age', 'asc', 'vault',
]);

/** Suffixes that mark an example/template file rather than a live one. */
const TEMPLATE_SUFFIXES = ['example', 'sample', 'template', 'dist', 'defaults', 'schema', 'tpl', 'example.local'];

export type EnvFileRole = 'env' | 'template' | 'backup';

/**
 * Backup naming patterns: `.env.backup`, `.env.bak`, `.env.old`, `.env.orig`, `.env.save`, `.env~`,
 * `.env.before-*`, `.env.<date>`, `.env_<timestamp>.bak`, `.env.prod.backup`, `.env.swp`-free.
 */
const BACKUP_PATTERNS: RegExp[] = [
  /(^|\.)(backup|bak|bkp|old|orig|save|saved|prev|previous)$/i,
  /~$/,
  /\.before[-_.][\w.-]+$/i,
  /\.(19|20)\d{2}-?\d{2}-?\d{2}([T_-]?\d{2}:?\d{2}(:?\d{2})?Z?)?$/i,
  /\.\d{10,14}$/,
  /[._-](backup|bak)[._-]?[\w:-]*$/i,
  /\.(backup|bak)\.[\w.-]+$/i,
];

function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i === -1 ? path : path.slice(i + 1);
}

/** Role of a file name in the `.env` family, or `undefined` when it is not one. */
export function classifyEnvFileName(pathOrName: string): EnvFileRole | undefined {
  const name = baseName(pathOrName);
  let rest: string;
  if (name === '.env') return 'env';
  if (name.startsWith('.env.') || name.startsWith('.env_') || name.startsWith('.env~') || name.startsWith('.env-')) {
    rest = name.slice(4);
  } else if (name.endsWith('.env') && name.length > 4) {
    rest = name.slice(0, -4);
    if (/(^|\.)(example|sample|template)$/i.test(rest)) return 'template';
    return 'env';
  } else {
    return undefined;
  }
  // `rest` begins with the separator after `.env`.
  if (rest === '~' || BACKUP_PATTERNS.some((re) => re.test(name))) return 'backup';
  const parts = rest.slice(1).toLowerCase().split('.');
  const last = parts[parts.length - 1] ?? '';
  if (CODE_EXTENSIONS.has(last)) return undefined;
  if (TEMPLATE_SUFFIXES.some((s) => rest.slice(1).toLowerCase() === s || rest.toLowerCase().endsWith('.' + s))) return 'template';
  return 'env';
}

/** True for any `.env`-family file: live files, templates and backups. */
export function isEnvFamilyName(pathOrName: string): boolean {
  return classifyEnvFileName(pathOrName) !== undefined;
}

/** Folders never walked: dependencies, VCS metadata and tool caches. */
export const SKIPPED_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', 'bower_components', 'jspm_packages', 'vendor', '.venv', 'venv',
  '.tox', '__pycache__', '.yarn', '.pnpm-store', '.terraform', '.vscode-test', '.next', '.nuxt', '.turbo',
  '.gradle', '.m2', '.cargo', 'Pods', '.dart_tool', '.mypy_cache', '.pytest_cache',
]);
