import { cpSync, mkdtempSync, realpathSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/main';
import { REPO_ROOT } from './shared';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams, as a user would from `cwd`. */
export async function cli(argv: string[], cwd: string, options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdin: Readable.from([options.stdin ?? '']),
    isTty: false,
  });
  return { code, stdout, stderr };
}

/** A private copy of a fixture folder in the OS temp dir (tests may write to it). */
export function copyFixture(name: string): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), `rekey-${name.replace(/\W/g, '-')}-`)));
  cpSync(path.join(REPO_ROOT, 'test', 'fixtures', name), dir, { recursive: true });
  return dir;
}
