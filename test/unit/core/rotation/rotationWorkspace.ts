import { cpSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeGit } from '../../../helpers/git';
import { REPO_ROOT } from '../../../helpers/shared';

/** Values in the fixtures: no output may ever contain one of them. */
export const CANARIES = {
  postgres: 'CanaryPg7vR2mK9pL4sT8wZ3nB6',
  redis: 'CanaryRd3xY8uJ5hG2fD9sA4qW',
  session: 'CanarySeI1NQELesgNVT7C1LrocqxWBrwwQs6TE9/4c+P/mqT+Z5wb92OD5pv7XiFnr7lFqjDhXwVAbMj1WtFA==',
  encryption: 'ca5a7e111d6373445af50142d3b865268658bc05a4c3d87d7098956310200b8a',
  mailer: 'mt_live_CanaryMt4Lk9Qz2Wx7Ep5Rt8Yu3Io6',
} as const;

export interface Workspace {
  /** The workspace folder (named after the fixture's app, so package-folder service names are stable). */
  root: string;
  /** The temporary folder holding it; remove with `cleanup`. */
  tmp: string;
  cleanup(): void;
}

/**
 * Copies `test/fixtures/rotation/<name>` into a fresh temporary folder named `<folder>`, turns
 * `_gitignore` into `.gitignore` (a real one inside the fixture would hide its `.env` from this
 * repository), and adds what a real checkout has but a fixture cannot carry: a `node_modules`
 * folder and a git-ignored scratch file that both mention every key (the scan must skip them).
 */
export function makeWorkspace(name: 'compose-stack' | 'nextjs-auth', folder: string, options: { git?: boolean } = {}): Workspace {
  const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rekey-rotation-')));
  const root = path.join(tmp, folder);
  cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'rotation', name), root, { recursive: true });
  renameSync(path.join(root, '_gitignore'), path.join(root, '.gitignore'));
  const decoy = 'module.exports = [process.env.POSTGRES_PASSWORD, process.env.DATABASE_URL, process.env.SESSION_SECRET, process.env.DASHBOARD_SECRET];\n';
  mkdirSync(path.join(root, 'node_modules', 'pg'), { recursive: true });
  writeFileSync(path.join(root, 'node_modules', 'pg', 'index.js'), decoy);
  // Each fixture's .gitignore ignores this folder.
  const ignored = path.join(root, name === 'compose-stack' ? 'tmp' : 'coverage');
  mkdirSync(ignored, { recursive: true });
  writeFileSync(path.join(ignored, 'scratch.js'), decoy);
  if (options.git !== false) git(root, 'init', '-q');
  return { root, tmp, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** Runs git in `cwd` (real dates: plans compare with today). */
export const git = makeGit({ dates: 'now' });

/** `path:line` relative to the workspace, 1-based, for readable assertions. */
export function at(root: string, file: string, line0: number): string {
  return `${path.relative(root, file).split(path.sep).join('/')}:${line0 + 1}`;
}
