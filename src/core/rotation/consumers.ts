import { readFile, stat } from 'node:fs';
import * as path from 'node:path';
import { authSecretUses } from '../consumers/authSecretHints';
import { DEFAULT_MAX_BYTES } from '../fs/readTextFile';
import { silentLogger, type Logger } from '../log';
import { LineIndex, type Range } from '../text/lineIndex';
import { isEnvFamilyName } from '../workspace/envFileNames';
import { findCodeReferences, findShellReferences, type KeyReference } from '../consumers/codeReferences';
import { isComposeFileName, parseComposeText, scanComposeFile, type ComposeService, type ComposeVia } from './composeFile';
import {
  findCiReferences,
  findDockerfileReferences,
  findKubernetesReferences,
  findSystemdReferences,
  looksLikeKubernetes,
} from './configReferences';
import { classifyPath, classifyService, datastoreOf, type ConsumerRole } from './serviceRoles';
import { filesContaining, listWorkspaceFiles } from '../workspace/workspaceFiles';

export type { ConsumerRole } from './serviceRoles';
export type { ComposeService } from './composeFile';

/** How a consumer gets the key. */
export type ConsumerVia =
  | ComposeVia
  | 'dockerfile'
  | 'ci-secret'
  | 'ci-variable'
  | 'kubernetes'
  | 'shell'
  | 'crontab'
  | 'systemd'
  | 'code';

/** One place in the workspace that reads (or holds a copy of) the key. Never holds a value. */
export interface Consumer {
  /** The key read here: the rotated key or a linked one that changes with it. */
  key: string;
  /** Absolute path. */
  file: string;
  /** 0-based line and column of the key name (or of the `env_file:` / `EnvironmentFile=` entry). */
  line: number;
  column: number;
  range: Range;
  /** Compose service, Kubernetes workload, systemd unit or package folder, where known. */
  service?: string;
  role: ConsumerRole;
  via: ConsumerVia;
  /** Value-free description: `process.env.KEY`, `env_file: .env`, `${{ secrets.KEY }}`. */
  detail: string;
  /** The place holds its own copy of the value (Dockerfile `ENV`, systemd `Environment=`, script assignment). */
  copy?: boolean;
  /** The value is handed here to an authentication library as its signing secret (`better-auth`...). */
  authLibrary?: string;
}

/** Code that hands the key to an authentication library as its signing secret. */
export interface AuthSecretUse {
  key: string;
  file: string;
  /** 0-based line of the library call or option. */
  line: number;
  /** The library, e.g. `better-auth`, `NextAuth/Auth.js`, `express-session`. */
  library: string;
}

export interface ConsumerScanRequest {
  /** Folder whose files are scanned (normally the workspace folder or git work tree). */
  workspaceRoot: string;
  key: string;
  /** Linked keys that change with `key`, and the `.env` file each lives in (their consumers restart too). */
  linkedKeys?: Array<{ key: string; envFile: string }>;
  /** Absolute path of the `.env` file the key lives in. */
  envFile: string;
  /** Files to scan instead of listing the workspace (absolute paths). */
  files?: string[];
  /** Whether git may run (see {@link listWorkspaceFiles}). */
  trusted?: boolean;
  /** Files larger than this are skipped (default 1 MiB). */
  maxBytes?: number;
  signal?: AbortSignal;
  logger?: Logger;
  /** The workspace listing and key search, started earlier by {@link prefetchConsumerScan}. */
  prefetched?: ConsumerPrefetch;
}

/** A workspace listing and `git grep` begun before the full key list is known. */
export interface ConsumerPrefetch {
  root: string;
  keys: readonly string[];
  listed: Promise<string[]>;
  mentioning: Promise<string[] | undefined>;
}

/**
 * Starts the two git processes of {@link findConsumers} for `keys` in `root` now, so they run
 * while the caller reads its `.env` files; a later search for more keys greps only for those.
 * The promises never reject (a failure surfaces when the scan awaits them).
 */
export function prefetchConsumerScan(root: string, keys: readonly string[], options: { trusted?: boolean; signal?: AbortSignal } = {}): ConsumerPrefetch {
  const abs = path.resolve(root);
  const signal = options.signal ? { signal: options.signal } : {};
  const listed = listWorkspaceFiles(abs, { trusted: options.trusted === true, ...signal });
  const mentioning = filesContaining(abs, keys, { trusted: options.trusted === true, ...signal });
  listed.catch(() => undefined);
  mentioning.catch(() => undefined);
  return { root: abs, keys: [...keys], listed, mentioning };
}

/** Files mentioning any of `keys`: the prefetched search, plus one more for the keys it lacked. */
async function mentioningKeys(root: string, keys: string[], trusted: boolean, signal: { signal?: AbortSignal }, pre?: ConsumerPrefetch): Promise<string[] | undefined> {
  if (!pre) return filesContaining(root, keys, { trusted, ...signal });
  const rest = keys.filter((k) => !pre.keys.includes(k));
  const [first, more] = await Promise.all([pre.mentioning, rest.length > 0 ? filesContaining(root, rest, { trusted, ...signal }) : Promise.resolve([] as string[])]);
  if (first === undefined || more === undefined) return undefined;
  return more.length === 0 ? first : [...new Set([...first, ...more])].sort();
}

export interface ConsumerScan {
  consumers: Consumer[];
  /** Every compose service seen, with `depends_on`, for restart ordering. */
  services: ComposeService[];
  /** Where code hands the key to an auth library's `secret` option: it is then a session-signing secret. */
  authUses: AuthSecretUse[];
  filesListed: number;
  filesRead: number;
  /** Value-free notes, e.g. a compose file that could not be parsed. */
  warnings: string[];
}

type Category = 'compose' | 'dockerfile' | 'ci' | 'yaml' | 'shell' | 'crontab' | 'systemd' | 'code' | 'maybe-script';

const CODE_EXT = new Set([
  'js', 'cjs', 'mjs', 'jsx', 'ts', 'cts', 'mts', 'tsx', 'vue', 'svelte', 'astro', 'py', 'rb', 'rake', 'go', 'rs', 'java',
  'kt', 'kts', 'scala', 'groovy', 'php', 'cs', 'fs', 'ex', 'exs', 'erl', 'swift', 'dart', 'c', 'cc', 'cpp', 'h', 'hpp',
  'lua', 'pl', 'r', 'jl', 'clj', 'cljs', 'hs', 'ml', 'zig', 'nim', 'cr', 'coffee', 'erb',
]);
/** Languages the auth-secret recogniser reads. */
const AUTH_LANGUAGE: Record<string, 'js' | 'py' | 'rb' | 'go'> = {
  js: 'js', mjs: 'js', cjs: 'js', jsx: 'js', ts: 'js', mts: 'js', cts: 'js', tsx: 'js', py: 'py', rb: 'rb', go: 'go',
};
const PACKAGE_MARKERS = ['package.json', 'pyproject.toml', 'setup.py', 'requirements.txt', 'go.mod', 'Cargo.toml', 'composer.json', 'Gemfile', 'pom.xml', 'build.gradle', 'build.gradle.kts', 'mix.exs', 'deno.json'];

/**
 * False only when {@link categorize} cannot return an ALWAYS category for `rel` (compose,
 * systemd, crontab); a cheap test of the name, so the many files that do not mention a key skip
 * the full categorisation.
 */
/** Matched by every path {@link maybeAlways} accepts (a cheaper, looser test of the same words). */
const MAYBE_ALWAYS_HINT = /compose|cron|\.(?:service|timer|socket)$/i;

function maybeAlways(rel: string): boolean {
  const lower = rel.slice(rel.lastIndexOf('/') + 1).toLowerCase();
  return lower.includes('compose') || lower.includes('cron') || /\.(service|timer|socket)$/.test(lower) || rel.includes('cron.');
}

function categorize(rel: string): Category | undefined {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  if (isEnvFamilyName(base)) return undefined;
  if (isComposeFileName(base)) return 'compose';
  if (/^(dockerfile|containerfile)([.-][\w.-]+)?$/i.test(base) || /\.(dockerfile|containerfile)$/i.test(base)) return 'dockerfile';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(rel) || /(^|\/)\.gitlab-ci\.ya?ml$/i.test(rel) || /\.gitlab-ci\.ya?ml$/i.test(base)
    || /(^|\/)\.circleci\/config\.ya?ml$/i.test(rel) || /^(bitbucket-pipelines|azure-pipelines|\.drone|\.woodpecker|cloudbuild|buildspec)\.ya?ml$/i.test(base)) return 'ci';
  if (/\.(service|timer|socket)$/i.test(lower)) return 'systemd';
  if (lower === 'crontab' || lower.startsWith('crontab.') || lower.endsWith('.cron') || lower.endsWith('.crontab') || /(^|\/)cron\.(d|daily|hourly|weekly|monthly)\//.test(rel)) return 'crontab';
  if (/\.ya?ml$/i.test(lower)) return 'yaml';
  if (/\.(sh|bash|zsh|ksh|ash)$/i.test(lower)) return 'shell';
  const ext = lower.includes('.') ? lower.slice(lower.lastIndexOf('.') + 1) : '';
  if (CODE_EXT.has(ext)) return 'code';
  if (ext === '') return 'maybe-script';
  return undefined;
}

/*
 * Compose, systemd and crontab files matter even without the key in them (`env_file:`,
 * `EnvironmentFile=`, which script a cron job runs).
 */
const ALWAYS: ReadonlySet<Category> = new Set<Category>(['compose', 'systemd', 'crontab']);

interface LoadedFile {
  abs: string;
  rel: string;
  text: string;
  category: Category;
}

/**
 * Reads a candidate file, or `undefined` when it is missing, too large or binary. Uses the
 * callback API: on many small files it is several times faster than `fs.promises`, whose
 * per-call overhead dominates here (the `rotate` group of `npm run bench` times the whole
 * `rotate --dry-run` on a 20k-file workspace).
 */
function readCandidate(abs: string, maxBytes: number, mustContain?: Buffer[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    stat(abs, (err, st) => {
      if (err || !st.isFile() || st.size > maxBytes) return resolve(undefined);
      readFile(abs, (err2, buf) => {
        if (err2 || buf.length > maxBytes || buf.subarray(0, 8192).includes(0)) return resolve(undefined);
        // Most files never mention the key: skip decoding them (the bytes of an ASCII key are the same in UTF-8).
        if (mustContain && !mustContain.some((k) => buf.includes(k))) return resolve(undefined);
        resolve(buf.toString('utf8'));
      });
    });
  });
}

/** Whether an `EnvironmentFile=` or similar path names the rotated file (or a deployed copy of it). */
function envPathMatcher(envFile: string, root: string): (p: string) => boolean {
  const abs = path.resolve(envFile);
  const rel = path.relative(root, abs).split(path.sep).join('/');
  return (p: string) => {
    if (path.isAbsolute(p) && path.resolve(p) === abs) return true;
    const norm = p.replace(/\\/g, '/');
    // `/srv/app/.env` on the server is the deployed copy of the workspace's `.env`.
    return norm === rel || norm.endsWith(`/${rel}`);
  };
}

/**
 * Finds where `key` (and `alsoKeys`, the linked keys that change with it) is read across the
 * workspace: compose services (`environment:`, `env_file:` naming this file, `${KEY}`
 * interpolation), Dockerfiles, CI workflows, Kubernetes manifests, shell scripts, crontabs,
 * systemd units and program code. Honours `.gitignore`, skips dependency folders, binary files and
 * files over `maxBytes`. Each consumer carries a restart-order role and, where known, the service
 * that runs it. Nothing is written; no value is read into the result.
 */
export async function findConsumers(req: ConsumerScanRequest): Promise<ConsumerScan> {
  const root = path.resolve(req.workspaceRoot);
  const logger = req.logger ?? silentLogger;
  const maxBytes = req.maxBytes ?? DEFAULT_MAX_BYTES;
  const envFile = path.resolve(req.envFile);
  const envFileOf = new Map<string, string>([[req.key, envFile]]);
  for (const l of req.linkedKeys ?? []) if (!envFileOf.has(l.key)) envFileOf.set(l.key, path.resolve(l.envFile));
  const keys = [...envFileOf.keys()];
  const signal = req.signal ? { signal: req.signal } : {};
  // Beside the listing, one `git grep` names the files that mention a key: only those (and the
  // files that matter without the key) are read, however large the workspace.
  const pre = req.prefetched && req.prefetched.root === root ? req.prefetched : undefined;
  const [listed, mentioning] = await Promise.all([
    req.files ?? pre?.listed ?? listWorkspaceFiles(root, { trusted: req.trusted === true, ...signal }),
    req.files ? undefined : mentioningKeys(root, keys, req.trusted === true, signal, pre),
  ]);
  const mentions = mentioning ? new Set(mentioning) : undefined;
  // The listing's paths are absolute and normalized already; only a caller's list needs resolving.
  const absolute = req.files ? listed.map((f) => path.resolve(f)) : listed;
  const listedSet = new Set(absolute);
  const warnings: string[] = [];

  const inRoot = root.endsWith(path.sep) ? root : root + path.sep;
  const candidates: Array<{ abs: string; rel: string; category: Category }> = [];
  for (const abs of absolute) {
    const inside = abs.startsWith(inRoot);
    // Most files are neither named by git grep nor possibly ALWAYS: pass them over before
    // building their relative path (every ALWAYS path matches MAYBE_ALWAYS_HINT).
    if (mentions && inside && !mentions.has(abs) && !MAYBE_ALWAYS_HINT.test(abs.slice(inRoot.length))) continue;
    const rest = inside ? abs.slice(inRoot.length) : path.relative(root, abs);
    const rel = path.sep === '/' ? rest : rest.split(path.sep).join('/');
    if (rel.startsWith('..')) continue;
    // A file git grep did not name matters only in the ALWAYS categories: test those alone first.
    if (mentions && !mentions.has(abs) && !maybeAlways(rel)) continue;
    const category = categorize(rel);
    if (!category) continue;
    if (mentions && !ALWAYS.has(category) && !mentions.has(abs)) continue;
    candidates.push({ abs, rel, category });
  }

  const keyBytes = keys.map((k) => Buffer.from(k, 'utf8'));
  const loaded: LoadedFile[] = [];
  const BATCH = 256;
  for (let i = 0; i < candidates.length; i += BATCH) {
    req.signal?.throwIfAborted();
    const batch = candidates.slice(i, i + BATCH);
    const texts = await Promise.all(batch.map((c) => readCandidate(c.abs, maxBytes, ALWAYS.has(c.category) ? undefined : keyBytes)));
    batch.forEach((c, j) => {
      const text = texts[j];
      if (text === undefined) return;
      if (!ALWAYS.has(c.category) && !keys.some((k) => text.includes(k))) return;
      if (c.category === 'maybe-script' && !/^#!.*\b(ba|z|k|da)?sh\b/.test(text)) return;
      loaded.push({ ...c, category: c.category === 'maybe-script' ? 'shell' : c.category, text });
    });
  }
  logger.debug(`consumers: ${listed.length} files listed, ${candidates.length} candidates, ${loaded.length} read for ${keys.join(', ')}`);

  const consumers: Consumer[] = [];
  const authUses: AuthSecretUse[] = [];
  const services: ComposeService[] = [];
  const roleOf = new Map<string, ReturnType<typeof classifyService>>();
  const add = (f: LoadedFile, lines: LineIndex, offset: number, length: number, fields: Omit<Consumer, 'file' | 'line' | 'column' | 'range'>): void => {
    const range = lines.rangeOf(offset, offset + length);
    consumers.push({ file: f.abs, line: range.start.line, column: range.start.character, range, ...fields });
  };

  // 1. Compose files first: their services name the code, Dockerfiles and scripts they run.
  const composeFiles = loaded.filter((x) => x.category === 'compose');
  for (const f of composeFiles) {
    const doc = parseComposeText(f.text);
    for (const [i, key] of keys.entries()) {
      const scan = scanComposeFile(f.abs, f.text, key, envFileOf.get(key) ?? envFile, doc);
      if (i === 0) {
        if (scan.parseError) warnings.push(`${f.rel}: ${scan.parseError}; only \${${key}} references were searched`);
        for (const s of scan.services) {
          services.push(s);
          roleOf.set(s.name, classifyService({ name: s.name, ...(s.image ? { image: s.image } : {}), ...(s.command ? { command: s.command } : {}) }));
        }
      }
      const lines = new LineIndex(f.text);
      const byName = new Map(scan.services.map((s) => [s.name, s]));
      for (const r of scan.references) {
        const s = r.service !== undefined ? byName.get(r.service) : undefined;
        let role: ConsumerRole = r.service !== undefined ? roleOf.get(r.service) ?? 'app' : 'app';
        // A database container handed the whole `.env` reads only its own variables.
        if (role === 'source' && r.via === 'compose-env-file' && !datastoreOf(s?.image)?.reads.test(key)) role = 'incidental';
        const length = r.via === 'compose-env-file' ? r.detail.length - 'env_file: '.length : key.length;
        add(f, lines, r.offset, length, { key, ...(r.service !== undefined ? { service: r.service } : {}), role, via: r.via, detail: r.detail });
      }
    }
  }

  const packageOf = packageFolderFinder(root, listedSet);
  const crontabs = loaded.filter((x) => x.category === 'crontab');
  const mounting = (abs: string): ComposeService[] =>
    services.filter((s) => s.mounts.some((m) => abs === m || abs.startsWith(m + path.sep)));
  /** Services that run a script: by command, or through a crontab they mount that names it. */
  const runnersOf = (f: LoadedFile): Array<{ service: string; role: ConsumerRole }> => {
    const base = path.basename(f.abs);
    const byCommand = services.filter((s) => (s.command ?? '').includes(base)).map(fromService);
    if (byCommand.length) return byCommand;
    const out: Array<{ service: string; role: ConsumerRole }> = [];
    for (const c of crontabs) {
      if (c.abs === f.abs || !c.text.includes(base)) continue;
      for (const s of mounting(c.abs)) if (!out.some((o) => o.service === s.name)) out.push({ service: s.name, role: 'cron' });
    }
    return out;
  };
  const built = services.flatMap((s) => (s.buildContext ? [{ s, context: s.buildContext, inside: s.buildContext + path.sep }] : []));
  const servicesBuilding = (abs: string): ComposeService[] => {
    let best: ComposeService[] = [];
    let bestLen = -1;
    for (const { s, context, inside } of built) {
      if (abs !== context && !abs.startsWith(inside)) continue;
      if (context.length > bestLen) {
        best = [s];
        bestLen = context.length;
      } else if (context.length === bestLen) {
        best.push(s);
      }
    }
    return best;
  };
  function fromService(s: ComposeService): { service: string; role: ConsumerRole } {
    return { service: s.name, role: roleOf.get(s.name) ?? 'app' };
  }

  for (const f of loaded) {
    if (f.category === 'compose') continue;
    const lines = new LineIndex(f.text);
    const pkg = (fallback: Exclude<ConsumerRole, 'incidental'> = 'app'): { service?: string; role: ConsumerRole } => {
      const name = packageOf(f.abs);
      return { ...(name !== undefined ? { service: name } : {}), role: classifyPath(f.rel, fallback) };
    };
    for (const key of keys) {
      if (f.category !== 'systemd' && !f.text.includes(key)) continue;
      const emit = (refs: KeyReference[], via: ConsumerVia, owners: Array<{ service?: string; role: ConsumerRole }>): Consumer[] => {
        const start = consumers.length;
        for (const r of refs) {
          for (const o of owners) {
            add(f, lines, r.offset, key.length, { key, ...(o.service !== undefined ? { service: o.service } : {}), role: o.role, via, detail: r.detail, ...(r.sets ? { copy: true } : {}) });
          }
        }
        return consumers.slice(start);
      };
      switch (f.category) {
        case 'dockerfile': {
          const refs = findDockerfileReferences(f.text, key);
          if (refs.length === 0) break;
          const built = services.filter((s) => s.dockerfile === f.abs);
          emit(refs, 'dockerfile', built.length ? built.map(fromService) : [pkg()]);
          break;
        }
        case 'ci':
          for (const r of findCiReferences(f.text, key)) {
            add(f, lines, r.offset, key.length, { key, role: 'ci', via: r.store === 'secret' ? 'ci-secret' : 'ci-variable', detail: r.detail });
          }
          break;
        case 'yaml':
          if (!looksLikeKubernetes(f.text)) break;
          for (const r of findKubernetesReferences(f.text, key)) {
            const w = r.workload;
            const role: ConsumerRole = w && /^(CronJob|Job)$/.test(w.kind) ? 'cron' : w ? classifyService({ name: w.name, image: w.name }) : classifyPath(f.rel);
            add(f, lines, r.offset, key.length, { key, ...(w ? { service: w.name } : {}), role, via: 'kubernetes', detail: w ? `${r.detail} (${w.kind} ${w.name})` : r.detail });
          }
          break;
        case 'shell': {
          const refs = findShellReferences(f.text, key, { assignments: true });
          if (refs.length === 0) break;
          const runners = runnersOf(f);
          emit(refs, 'shell', runners.length ? runners : [pkg('cron')]);
          break;
        }
        case 'crontab': {
          const refs = findShellReferences(f.text, key, { assignments: true });
          if (refs.length === 0) break;
          const runners = mounting(f.abs);
          emit(refs, 'crontab', runners.length ? runners.map((s) => ({ service: s.name, role: 'cron' as const })) : [{ role: 'cron' }]);
          break;
        }
        case 'systemd': {
          const refs = findSystemdReferences(f.text, key, envPathMatcher(envFileOf.get(key) ?? envFile, root));
          if (refs.length === 0) break;
          const base = f.rel.slice(f.rel.lastIndexOf('/') + 1);
          const unit = base.replace(/\.(service|timer|socket)$/i, '');
          const role: ConsumerRole = /\.timer$/i.test(base) ? 'cron' : classifyService({ name: unit });
          for (const r of refs) {
            const length = r.detail.startsWith('EnvironmentFile=') ? 'EnvironmentFile'.length : key.length;
            add(f, lines, r.offset, length, { key, service: unit, role, via: 'systemd', detail: r.detail, ...(r.sets ? { copy: true } : {}) });
          }
          break;
        }
        case 'code': {
          const refs = findCodeReferences(f.text, key);
          if (refs.length === 0) break;
          const language = AUTH_LANGUAGE[f.rel.slice(f.rel.lastIndexOf('.') + 1).toLowerCase()];
          const uses = language ? authSecretUses(f.text, language).filter((u) => u.key === key) : [];
          for (const u of uses) authUses.push({ file: f.abs, line: u.line, library: u.consumer, key });
          let owners = servicesBuilding(f.abs);
          if (owners.length > 1) {
            // Several services share one image: the one whose command runs this file, if any.
            const stem = path.basename(f.abs).replace(/\.[^.]+$/, '');
            const runs = owners.filter((s) => holdsWord(s.command ?? '', stem));
            if (runs.length > 0) owners = runs;
          }
          const made = emit(refs, 'code', owners.length ? owners.map(fromService) : [pkg()]);
          for (const c of made) {
            const use = uses.find((u) => u.line === c.line) ?? (uses.length === 1 ? uses[0] : undefined);
            if (use) c.authLibrary = use.consumer;
          }
          break;
        }
        default:
          break;
      }
    }
  }

  return { consumers: dedupe(consumers), services, authUses, filesListed: listed.length, filesRead: loaded.length, warnings };
}

/**
 * One consumer per place and service. The rotated key is scanned first, so where a line hands
 * over several keys at once (`env_file:`), the consumer names the rotated key.
 */
function dedupe(list: Consumer[]): Consumer[] {
  const seen = new Set<string>();
  const out: Consumer[] = [];
  for (const c of list) {
    const id = `${c.file}\0${c.line}\0${c.service ?? ''}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(c);
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.service ?? '').localeCompare(b.service ?? '')));
}

/** Whether `word` occurs in `text` with no word character (`\\w`) right before or after it. */
function holdsWord(text: string, word: string): boolean {
  const isWord = (c: string | undefined): boolean => c !== undefined && /\w/.test(c);
  for (let i = text.indexOf(word); i !== -1; i = i >= text.length ? -1 : text.indexOf(word, i + 1)) {
    if (!isWord(text[i - 1]) && !isWord(text[i + word.length])) return true;
  }
  return false;
}

/** The nearest folder (up to `root`) holding a package manifest, named by its folder. */
function packageFolderFinder(root: string, files: Set<string>): (abs: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  const find = (dir: string): string | undefined => {
    if (cache.has(dir)) return cache.get(dir);
    let found: string | undefined;
    if (PACKAGE_MARKERS.some((m) => files.has(path.join(dir, m)))) found = path.basename(dir);
    else if (dir !== root && dir.startsWith(root)) found = find(path.dirname(dir));
    cache.set(dir, found);
    return found;
  };
  return (abs) => find(path.dirname(abs));
}
