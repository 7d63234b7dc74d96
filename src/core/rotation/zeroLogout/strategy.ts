import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PreviousSyntax, SessionFramework, SessionFrameworkId } from '../../catalog/sessionFrameworks';
import type { ParsedEnv } from '../../env/types';
import { codeEditFor, djangoFallbacksEdit, type CodeChange } from './codeEdits';
import { detectSessionFramework, type DetectedFramework, type FrameworkUse } from './detectFramework';
import { readLifetimeDays } from './lifetime';
import { manualSnippet } from './manualSnippets';
import { atLeast } from './versions';

/**
 * How a rotation keeps existing sessions valid, as data (no value). Two `.env` layouts:
 * - `move-previous`: the new value replaces the secret and the old one moves to `previousKey`
 *   (in `syntax`), which the framework (or the code edit) reads as a verify-only secret;
 * - `stage-indexed`: Auth.js signs with the highest-numbered `AUTH_SECRET_n`, so the new value
 *   goes to `previousKey` (`AUTH_SECRET_1`) and the secret keeps the old one until retirement
 *   moves the new value into it.
 */
export interface ZeroLogoutPlan {
  framework: SessionFrameworkId;
  frameworkName: string;
  /** Version found and where (relative path), when known. */
  version?: string;
  versionFile?: string;
  /** Why this framework (value-free). */
  evidence: string;
  /** Whether rekey can plan a rotation that logs nobody out. */
  available: boolean;
  /** One plain sentence: what the rotation does to sessions, or why it cannot keep them. */
  summary: string;
  layout?: 'move-previous' | 'stage-indexed';
  /** Where the old value goes (`move-previous`) or the new one (`stage-indexed`). */
  previousKey?: string;
  syntax?: PreviousSyntax;
  /** Source edits that make the app read `previousKey`; applied only when the user confirms. */
  codeChanges: CodeChange[];
  /** A change rekey cannot make exactly: what to add by hand (no value). */
  manual?: { language: string; snippet: string; where: string };
  /** YYYY-MM-DD after which no session signed with the old value is still valid. */
  retireBy: string;
  lifetimeDays: number;
  /** Where the lifetime came from (`SESSION_LIFETIME in .env`, `the library's default`). */
  lifetimeFrom: string;
  /** What will happen to existing sessions, and what will not. */
  keeps: string[];
  loses: string[];
  docUrl: string;
  source: string;
  proof: SessionFramework['proof'];
}

export interface ZeroLogoutRequest {
  workspaceRoot: string;
  envFile: string;
  key: string;
  parsed: ParsedEnv;
  uses: readonly FrameworkUse[];
  now: Date;
}

function addDays(d: Date, days: number): string {
  const t = new Date(d.getTime() + Math.ceil(days) * 86_400_000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}`;
}

/** `14 days`, `2 hours`, `1 day`. */
export function formatDuration(days: number): string {
  if (days >= 1) {
    const d = Math.round(days * 10) / 10;
    return `${d} day${d === 1 ? '' : 's'}`;
  }
  const hours = days * 24;
  if (hours >= 1) {
    const h = Math.round(hours * 10) / 10;
    return `${h} hour${h === 1 ? '' : 's'}`;
  }
  const m = Math.max(1, Math.round(hours * 60));
  return `${m} minute${m === 1 ? '' : 's'}`;
}

function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || path.basename(file);
}

async function readText(file: string): Promise<string | undefined> {
  const st = await fs.stat(file).catch(() => undefined);
  if (!st?.isFile() || st.size > 1024 * 1024) return undefined;
  return fs.readFile(file, 'utf8').catch(() => undefined);
}

/**
 * Plans a rotation of `key` that logs nobody out, when a session framework in the table signs
 * with it. Undefined when no framework was found (the rotation stays as it is); a plan with
 * `available: false` and a plain `summary` when the framework (or its version) cannot do it.
 * Reads package and source files; writes nothing.
 */
export async function planZeroLogout(req: ZeroLogoutRequest): Promise<ZeroLogoutPlan | undefined> {
  const detected = await detectSessionFramework(req.key, req.uses, req.envFile, req.workspaceRoot);
  if (!detected) return undefined;
  return planFor(detected, req);
}

async function planFor(d: DetectedFramework, req: ZeroLogoutRequest): Promise<ZeroLogoutPlan> {
  const f = d.framework;
  const { key, workspaceRoot: root } = req;
  const useText = d.use ? await readText(d.use.file) : undefined;
  const lifetime = await readLifetimeDays(f, { envParsed: req.parsed, useText, root, envFile: req.envFile });
  const base: ZeroLogoutPlan = {
    framework: f.id, frameworkName: f.name, evidence: d.evidence, available: false, summary: '',
    ...(d.version ? { version: d.version.version, versionFile: rel(root, d.version.file) } : {}),
    codeChanges: [], retireBy: addDays(req.now, Math.max(1, lifetime.days)), lifetimeDays: lifetime.days, lifetimeFrom: lifetime.from,
    keeps: [], loses: [], docUrl: f.docUrl, source: f.source, proof: f.proof,
  };
  const unavailable = (summary: string, loses: string[] = [f.plainRotation]): ZeroLogoutPlan => ({ ...base, available: false, summary, loses });
  const versionText = d.version ? `${d.version.name} ${d.version.version}${d.version.exactness === 'manifest' ? ` (lowest allowed by ${d.version.range ?? 'the manifest'})` : ''}` : undefined;
  if (f.since && d.version && !atLeast(d.version.version, f.since)) {
    return unavailable(`${versionText ?? f.name} cannot verify with a previous secret (needs ${f.packages[0] as string} ≥ ${f.since}): rotating ${key} logs everyone out. Upgrade first to avoid it.`);
  }
  if (f.id === 'authjs' && d.version?.name === 'next-auth' && !atLeast(d.version.version, '5.0.0')) {
    return unavailable(`next-auth ${d.version.version} (v4) reads one secret: rotating ${key} logs everyone out. Auth.js v5 reads AUTH_SECRET_1..3.`);
  }
  const previousName = `${key}_PREVIOUS`;
  const keepsList = (extra: string[] = []): string[] => [`Sessions signed with the old ${key} stay valid until you retire it (retire-by ${base.retireBy}; sessions last ${formatDuration(lifetime.days)}: ${lifetime.from}).`, ...extra];
  const losesList = (extra: string[] = []): string[] => [`After retirement, sessions still signed with the old value are rejected: only ones older than the session lifetime, which have expired anyway.`, ...extra];

  switch (f.mechanism) {
    case 'none':
      return unavailable(`${f.name} verifies its session cookie with the current secret only: rotating ${key} logs everyone out. ${f.how}`, [f.plainRotation]);
    case 'code-manual': {
      const snippet = manualSnippet(f.id, key, previousName);
      return { ...unavailable(`${f.name} can keep old sessions valid, but only through a code change rekey cannot make exactly; add it by hand (below), then rotate with --keep-previous-name ${previousName}.`), ...(snippet ? { manual: snippet } : {}) };
    }
    case 'env-indexed': {
      // An explicit `secret:` option turns Auth.js's env inference off: the list must be in code.
      if (d.use) return codeList(base, d, useText, previousName, keepsList, losesList, 'Auth.js reads its `secret` option, not AUTH_SECRET_1..3, when the option is set');
      const used = [1, 2, 3].filter((n) => req.parsed.entries.some((e) => e.key === `${key}_${n}`));
      if (used.length > 0) {
        return unavailable(`${key}_${used[0] as number} is already set: a zero-logout rotation of ${key} is in progress. Retire it first (rekey retire-previous ${key}).`, []);
      }
      const staged = `${key}_1`;
      return {
        ...base, available: true, layout: 'stage-indexed', previousKey: staged,
        summary: `Auth.js signs with the highest-numbered AUTH_SECRET_n and decrypts with all of them: the new value goes into ${staged} (it signs from the next restart) and ${key} keeps the old value, which still decrypts existing sessions. Retiring moves the new value into ${key} and removes ${staged}.`,
        keeps: keepsList([`Nothing else changes: JWT sessions, CSRF and callback cookies signed with the old value keep working.`]),
        loses: losesList([`Only processes that get AUTH_SECRET from somewhere other than this file (a platform's env settings) and not ${staged} keep signing with the old value: set ${staged} there too.`]),
      };
    }
    case 'env-previous': {
      if (f.id === 'flask' && key !== 'FLASK_SECRET_KEY') {
        const snippet = manualSnippet('flask', key, `${key}_FALLBACKS`);
        return { ...unavailable(`Flask reads SECRET_KEY_FALLBACKS from the environment only through app.config.from_prefixed_env() (FLASK_SECRET_KEY_FALLBACKS); ${key} is read by your code, so add the fallbacks line by hand.`), ...(snippet ? { manual: snippet } : {}) };
      }
      let previousKey = f.previousEnv as string;
      const codeChanges: CodeChange[] = [];
      if (f.id === 'django') {
        previousKey = key === 'SECRET_KEY' ? 'SECRET_KEY_FALLBACKS' : `${key}_FALLBACKS`;
        const settingsReadsEnv = useText !== undefined && new RegExp(String.raw`SECRET_KEY_FALLBACKS\s*=.*${previousKey}`).test(useText);
        if (!settingsReadsEnv) {
          if (!d.use || useText === undefined) return unavailable(`Django reads SECRET_KEY_FALLBACKS from settings, and rekey did not find the settings module that reads ${key}.`);
          const edit = djangoFallbacksEdit(d.use.file, useText, d.use.line, previousKey);
          if (!edit.ok) return unavailable(`${edit.reason}.`);
          codeChanges.push(edit.change);
        }
      }
      if (f.id === 'laravel') {
        const appConfig = await readText(path.join(path.dirname(req.envFile), 'config', 'app.php'));
        if (appConfig !== undefined && !/previous_keys/.test(appConfig)) {
          return unavailable(`config/app.php has no 'previous_keys' entry (it was published before Laravel 11): add \`'previous_keys' => [...array_filter(explode(',', env('APP_PREVIOUS_KEYS', '')))],\` first.`);
        }
      }
      return {
        ...base, available: true, layout: 'move-previous', previousKey, syntax: f.previousSyntax as PreviousSyntax, codeChanges,
        summary: `${f.name} signs with ${key} and also verifies with ${previousKey}: the new value replaces ${key} and the old one moves to ${previousKey}${f.previousSyntax === 'json-list' ? ' (a JSON list, as from_prefixed_env parses it)' : f.previousSyntax === 'comma-list' ? ' (comma-separated, newest first)' : ''}.`,
        keeps: keepsList(f.id === 'laravel' ? ['Data encrypted with Crypt:: under the old key stays readable while the old key is listed.'] : []),
        loses: losesList(f.id === 'laravel'
          ? ['Remember-me cookies outlive SESSION_LIFETIME (Laravel keeps them for years): users with one that is older than the retirement sign in again.', 'Data encrypted with the old key becomes unreadable once APP_PREVIOUS_KEYS no longer lists it: re-encrypt it (or keep the key listed) before retiring.']
          : []),
      };
    }
    case 'code-list':
      return codeList(base, d, useText, previousName, keepsList, losesList, `${f.name} takes a list but your code passes one value`);
  }
}

function codeList(
  base: ZeroLogoutPlan, d: DetectedFramework, useText: string | undefined, previousKey: string,
  keepsList: (extra?: string[]) => string[], losesList: (extra?: string[]) => string[], why: string,
): ZeroLogoutPlan {
  const f = d.framework;
  if (!d.use || useText === undefined) {
    return { ...base, available: false, summary: `${f.name}: rekey did not find the code that passes the secret; pass a list by hand (${f.how})`, loses: [f.plainRotation] };
  }
  const edit = codeEditFor(f.id, d.use.file, useText, d.use.line, base.framework === 'authjs' ? d.use.key : d.use.key, previousKey);
  if (!edit.ok) {
    const snippet = manualSnippet(f.id, d.use.key, previousKey);
    return { ...base, available: false, summary: `${edit.reason}. ${f.how}`, loses: [f.plainRotation], ...(snippet ? { manual: snippet } : {}) };
  }
  return {
    ...base, available: true, layout: 'move-previous', previousKey, syntax: 'single', codeChanges: [edit.change],
    summary: `${why}: the code edit makes it sign with ${d.use.key} and also verify with ${previousKey}; the new value replaces ${d.use.key} and the old one moves to ${previousKey}. The code edit is applied only when you confirm it.`,
    keeps: keepsList(['Once the code edit is deployed and the app restarted; without it, the app ignores ' + previousKey + ' and everyone is logged out.']),
    loses: losesList(),
  };
}
