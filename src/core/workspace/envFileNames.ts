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
 * Backup naming patterns, peeled off the end of a name until a live `.env`-family name remains:
 * `.env.backup`, `.env.bak`, `.env.old`, `.env.orig`, `.env.save`, `.env~`, `.env.~1~`,
 * `.env.before-*`, `.env.<date>` (`2026-08-01`, `20260801`, `20260801T120000`, epoch seconds),
 * `.env_<timestamp>.bak`, `.env.prod.backup`, `prod.env.bak`. A name such as `.env.bakery` or
 * `.env.preview` is not a backup: a marker must be a whole dot/dash/underscore-separated part.
 */
const BACKUP_WORD = '(?:backup|bak|bkp|bck|old|orig|original|save|saved|prev|previous|copy)\\d*';
const STAMP = '(?:(?:19|20)\\d{2}-?[01]\\d-?[0-3]\\d(?:[T_.-]?[0-2]\\d[:-]?[0-5]\\d(?:[:-]?[0-5]\\d)?(?:\\.\\d+)?Z?)?|\\d{10}(?:\\d{3})?)';
const BACKUP_PATTERNS: RegExp[] = [
  /** `~` (editors) and `.~1~` (GNU numbered backups). */
  /(?:\.~\d+~|~)$/,
  new RegExp(`[._-]${BACKUP_WORD}$`, 'i'),
  new RegExp(`[._-]${STAMP}$`, 'i'),
];
/** `.env.before-secret-rotation`: everything from the first `.before-` on is the marker. */
const BEFORE_PATTERN = /^(.+?)[._-]before[-_.][^/\\]+$/i;
/** A marker followed by more text: `.env.bak.1`, `.env.backup.prod`. */
const INNER_PATTERN = new RegExp(`^(.+?)[._-]${BACKUP_WORD}[._-]([^/\\\\]+)$`, 'i');
const STAMP_OR_COUNTER = new RegExp(`^(?:${STAMP}|\\d{1,4})$`, 'i');

/**
 * The live names a backup name may stand for, best guess first, or `undefined` when `name` does
 * not look like a backup. `.env.backup.prod` may back up `.env.prod` or be a `.env` backup
 * tagged "prod", hence two candidates.
 */
function peelBackupName(name: string): string[] | undefined {
  let base = name;
  let peeled = false;
  const before = BEFORE_PATTERN.exec(base);
  if (before) {
    base = before[1] as string;
    peeled = true;
  }
  let alternatives: string[] = [];
  for (let guard = 0; guard < 8; guard++) {
    const re = BACKUP_PATTERNS.find((r) => r.test(base));
    if (re) {
      base = base.replace(re, '');
      peeled = true;
      continue;
    }
    const inner = INNER_PATTERN.exec(base);
    if (inner) {
      const prefix = inner[1] as string;
      const suffix = inner[2] as string;
      if (!STAMP_OR_COUNTER.test(suffix)) alternatives = [`${prefix}.${suffix}`, ...alternatives];
      base = prefix;
      peeled = true;
      continue;
    }
    break;
  }
  if (!peeled) return undefined;
  const candidates = [...alternatives, base].filter(isLiveShapedName);
  return candidates.length > 0 ? candidates : undefined;
}

/** `.env`, `.env.<x>`, `.env-<x>`, `.env_<x>` or `<x>.env`: what a backup can back up. */
function isLiveShapedName(name: string): boolean {
  return name === '.env' || /^\.env[._-][^~]/.test(name) || (name.length > 4 && name.endsWith('.env'));
}

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
    // `prod.env.bak`: a backup of a `*.env` file.
    return name.includes('.env') && peelBackupName(name) ? 'backup' : undefined;
  }
  // `rest` begins with the separator after `.env`.
  const parts = rest.slice(1).toLowerCase().split('.');
  const last = parts[parts.length - 1] ?? '';
  // `.env.bak.js` is a program, whatever comes before its extension.
  if (CODE_EXTENSIONS.has(last)) return undefined;
  if (peelBackupName(name)) return 'backup';
  if (TEMPLATE_SUFFIXES.some((s) => rest.slice(1).toLowerCase() === s || rest.toLowerCase().endsWith('.' + s))) return 'template';
  return 'env';
}

/**
 * The live file a backup backs up, in the same folder: `.env.prod.backup` → `.env.prod`,
 * `.env.backup` → `.env`, `dir/.env_20260801.bak` → `dir/.env`. `undefined` for names that are
 * not backups. Where a name is ambiguous (`.env.bak.prod`) this is the first of
 * {@link liveFileCandidatesForBackup}; callers that can check the disk should try them in order.
 */
export function liveFileForBackup(path: string): string | undefined {
  return liveFileCandidatesForBackup(path)[0];
}

/** Every plausible live file for a backup path, best guess first (empty when not a backup). */
export function liveFileCandidatesForBackup(path: string): string[] {
  const name = baseName(path);
  if (classifyEnvFileName(name) !== 'backup') return [];
  const dir = path.slice(0, path.length - name.length);
  return (peelBackupName(name) ?? []).map((c) => dir + c);
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
