import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { git, gitEnv as sharedGitEnv, gitRun } from '../../../helpers/git';
import { REPO_ROOT } from '../../../helpers/shared';

/*
 * Real repositories for the hook tests, and a real CLI bundle for the installed hooks to run.
 * The bundle is the shipped build: the project's own esbuild.js (with its vendor split), run once
 * per test run from the current sources into a temporary folder, so the tests never depend on
 * (or disturb) a shared dist/.
 */

/** Distinctive secret values: any of them in any output is a leak. */
export const CANARY = {
  stripe: ['sk', 'live', '51HcanaryQwErTy7UiOp2AsDfGhJkL'].join('_'),
  dbPassword: 'CanaryPassw0rd-9f8e7d6c',
  github: ['ghp', 'CanaryAbCdEfGhIjKlMnOpQrStUvWxYz0123'].join('_'),
};

/** A `.env` with two secrets (and one non-secret) holding the canaries. */
export const ENV_TEXT = [
  `STRIPE_SECRET_KEY=${CANARY.stripe}`,
  `DATABASE_URL=postgres://app:${CANARY.dbPassword}@db.internal:5432/app`,
  'PORT=3000',
  '',
].join('\n');

/** Fails when any canary appears in `text`. */
export function assertNoCanary(text: string): void {
  for (const [name, value] of Object.entries(CANARY)) {
    if (text.includes(value)) throw new Error(`canary ${name} leaked into output`);
  }
}

const made: string[] = [];
let clock = 1_700_000_000;

export function tempDir(prefix = 'rekey-hook-'): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

export function cleanup(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** The environment for test git commands: deterministic identity, no inherited `GIT_*`. */
export function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return sharedGitEnv({ extra });
}

export { git, gitRun };

/** A new repository in a temporary folder. */
export function makeRepo(prefix?: string): string {
  const dir = tempDir(prefix);
  git(dir, 'init', '-q');
  return dir;
}

/** Writes files relative to `dir` (creating folders). */
export function write(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

/** Writes, stages (force, so ignored files too) and commits without hooks. */
export function commitAll(dir: string, files: Record<string, string | Buffer>, message = 'change'): string {
  write(dir, files);
  git(dir, 'add', '-f', '--', ...Object.keys(files));
  git(dir, 'commit', '-q', '--no-verify', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

let bundle: string | undefined;

/** Path of dist/cli.js as `node esbuild.js` builds it from the current sources (built once per run). */
export function cliBundle(): string {
  if (bundle) return bundle;
  const outDir = tempDir('rekey-hook-cli-');
  const built = spawnSync(process.execPath, [path.join(REPO_ROOT, 'esbuild.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, REKEY_OUT_DIR: outDir },
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`node esbuild.js failed: ${built.stderr}`);
  const out = path.join(outDir, 'cli.js');
  bundle = out;
  // Outlive `cleanup()` calls of single test files: removed at process exit instead.
  made.splice(made.indexOf(outDir), 1);
  process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
  return out;
}

/** Runs the bundled CLI as a program. */
export function runCliBundle(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cliBundle(), ...args], { cwd, env: options.env ?? gitEnv(), encoding: 'utf8', input: options.input });
}

/**
 * Appends `n` commits to `branch` with `git fast-import` (fast: one process), each changing
 * `files(i)`; returns nothing (read the branch tip with rev-parse).
 */
export function fastCommits(repo: string, branch: string, n: number, files: (i: number) => Record<string, string>): void {
  const parent = gitRun(repo, ['rev-parse', '--verify', '-q', branch]).stdout.trim();
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    clock += 60;
    const message = `commit ${i}\n`;
    parts.push(`commit refs/heads/${branch}`, `mark :${i + 1}`, `committer Test <test@example.com> ${clock} +0000`, `data ${Buffer.byteLength(message)}`, message.trimEnd());
    if (i === 0 && parent) parts.push(`from ${parent}`);
    for (const [p, content] of Object.entries(files(i))) {
      parts.push(`M 100644 inline ${p}`, `data ${Buffer.byteLength(content)}`, content);
    }
    parts.push('');
  }
  const r = gitRun(repo, ['fast-import', '--quiet'], { input: parts.join('\n') + '\n' });
  if (r.status !== 0) throw new Error(`fast-import failed: ${r.stderr}`);
}
