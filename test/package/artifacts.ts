// Where the shipped artefacts are: `npm run package` writes rekey-<version>.vsix and
// `npm run pack:cli` writes rekey-cli-<version>.tgz at the repository root (`npm run
// test:package` makes both first). The tests judge those files, not the working tree.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/shared';

export interface RootManifest {
  name: string;
  version: string;
  publisher: string;
  scripts: Record<string, string>;
}

export const ROOT_MANIFEST = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as RootManifest;

/** The npm package name of the CLI, written out here rather than read from the packaging script. */
export const CLI_PACKAGE = 'rekey-cli';

export function artefact(file: string, makeWith: string): string {
  const p = path.join(REPO_ROOT, file);
  if (!existsSync(p)) throw new Error(`${file} is missing: run \`${makeWith}\` first (npm run test:package does)`);
  return p;
}

export const vsixPath = (): string => artefact(`${ROOT_MANIFEST.name}-${ROOT_MANIFEST.version}.vsix`, 'npm run package');
export const cliTarball = (): string => artefact(`${CLI_PACKAGE}-${ROOT_MANIFEST.version}.tgz`, 'npm run pack:cli');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell; never throws, so a test can judge a failure. */
export function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): Run {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 240_000, ...options });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** Like run(), but throws with the output when the program fails. */
export function ok(cmd: string, args: string[], options: SpawnSyncOptions = {}): Run {
  const r = run(cmd, args, options);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/**
 * An environment for npm in a throwaway project: `base` (process.env by default) without the
 * npm_* config that `npm run` exports, which would point npm at this repository.
 */
export function cleanEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
}
