import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as dotenvParse } from 'dotenv';
import { applyRotation } from '../../../../../src/core/rotation/apply';
import { planRotation, type RotationPlan } from '../../../../../src/core/rotation/plan';
import { applyCodeChanges } from '../../../../../src/core/rotation/zeroLogout/applyCode';
import { applyRetirement, planRetirement } from '../../../../../src/core/rotation/zeroLogout/retire';
import { REPO_ROOT } from '../../../../helpers/shared';

/*
 * A throwaway app folder for the real-library proofs: the app's files, a .gitignore, and a
 * node_modules link to this repository's, so the app's `require('express-session')` loads the
 * real, installed library.
 */

export interface AppWorkspace {
  root: string;
  envFile: string;
  cleanup(): void;
}

export function makeApp(files: Record<string, string>): AppWorkspace {
  const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rekey-zero-logout-')));
  const root = path.join(tmp, 'app');
  mkdirSync(root);
  writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return { root, envFile: path.join(root, '.env'), cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** What the app reads after a restart: the .env parsed by the real dotenv. */
export function readEnv(ws: AppWorkspace): Record<string, string> {
  return dotenvParse(readFileSync(ws.envFile, 'utf8'));
}

/** Plans and applies rekey's rotation of `key` (the code edit too, as `--apply-code` does). */
export async function rotate(ws: AppWorkspace, key: string): Promise<RotationPlan> {
  const plan = await planRotation({ workspaceRoot: ws.root, file: ws.envFile, key, options: { trusted: false } });
  if (plan.blockers.length) throw new Error(plan.blockers.join('; '));
  if (plan.zeroLogoutChosen) await applyCodeChanges(plan.zeroLogout?.codeChanges ?? []);
  await applyRotation(plan, { trusted: false });
  return plan;
}

/** Applies `rekey retire-previous KEY` as on its retire-by day. */
export async function retire(ws: AppWorkspace, key: string): Promise<void> {
  const plan = planRetirement(ws.envFile, readFileSync(ws.envFile, 'utf8'), key, new Date(Date.now() + 400 * 86_400_000));
  await applyRetirement(plan, { trusted: false });
}

/** Runs `fn` with exactly `env`'s values for `keys` in process.env (others unset), as after a restart. */
export async function withEnv<T>(env: Record<string, string>, keys: string[], fn: () => Promise<T> | T): Promise<T> {
  const saved = new Map(keys.map((k) => [k, process.env[k]]));
  for (const k of keys) {
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** `require` of the app's own module, fresh (as a restarted process would load it). */
export function loadFresh<T>(file: string): T {
  const resolved = require.resolve(file);
  delete require.cache[resolved];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved) as T;
}

export interface Response {
  status: number;
  body: string;
  /** `name=value` of every Set-Cookie header. */
  cookies: string[];
}

/** Serves `handler` on 127.0.0.1 for the duration of `fn`. */
export async function serve<T>(handler: http.RequestListener, fn: (get: (p: string, cookie?: string) => Promise<Response>) => Promise<T>): Promise<T> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const get = (p: string, cookie?: string): Promise<Response> =>
    new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: p, headers: { 'x-forwarded-proto': 'https', ...(cookie ? { cookie } : {}) } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cookies: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0] as string) }));
      });
      req.on('error', reject);
    });
  try {
    return await fn(get);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
