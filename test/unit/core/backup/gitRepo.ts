import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeGit } from '../../../helpers/git';

/** Runs git in `dir` (real dates unless the test sets GIT_AUTHOR_DATE / GIT_COMMITTER_DATE). */
export function git(dir: string, ...args: string[]): string {
  const extra: NodeJS.ProcessEnv = {};
  if (process.env.GIT_AUTHOR_DATE) extra.GIT_AUTHOR_DATE = process.env.GIT_AUTHOR_DATE;
  if (process.env.GIT_COMMITTER_DATE) extra.GIT_COMMITTER_DATE = process.env.GIT_COMMITTER_DATE;
  return makeGit({ dates: 'now', extra })(dir, ...args);
}

/** A temporary folder with `files`, optionally a git repository with everything committed. */
export function makeWorkspace(files: Record<string, string>, options: { git?: boolean } = {}): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rekey-ws-')));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  if (options.git) git(dir, 'init', '-q');
  return dir;
}
