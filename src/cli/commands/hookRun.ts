import { existsSync } from 'node:fs';
import { GitNotFoundError, NotARepositoryError } from '../../core/git/gitErrors';
import { checkPush, checkStaged, parsePushUpdates, pushUpdatesFromEnv } from '../../core/hook/checks';
import { HookGit } from '../../core/hook/hookGit';
import type { HookReport } from '../../core/hook/report';
import { hookReportJson, hookReportText } from '../../core/hook/reportText';
import { UsageError, type CliCommand, type CliIo } from '../command';

/*
 * `rekey hook run`: the check a git hook runs on every commit and push. Kept apart from the rest
 * of `rekey hook` (install, status, the hook managers) so the hooks' own entry point
 * (`hookMain.ts`, bundled as `dist/hook.js`) loads only this and the checks.
 */

export { HOOK_RUN_OPTIONS } from './hookRunOptions';

type Values = Parameters<CliCommand['run']>[0];

/** Runs the pre-commit or pre-push check (`args`: the hook name, then git's arguments). */
export async function runHook(args: string[], repoDir: string, values: Values, format: 'text' | 'json', io: CliIo, options: { git?: HookGit } = {}): Promise<number> {
  const [hook, remote] = args;
  if (hook !== 'pre-commit' && hook !== 'pre-push') {
    throw new UsageError(`hook run: expected pre-commit or pre-push${hook === undefined ? '' : ` (got '${hook}')`}`);
  }
  if (!existsSync(repoDir)) throw new UsageError(`hook run: folder not found: ${repoDir}`);
  const git = options.git ?? new HookGit({ cwd: repoDir, env: io.env });
  const blockOnFormat = values['block-format-secrets'] === true;
  const started = performance.now();
  const onPhase = values.verbose === true ? (p: string) => io.stderr(`rekey: ${(performance.now() - started).toFixed(1)} ms: ${p}\n`) : undefined;
  let report: HookReport;
  let remoteName = remote;
  try {
    if (hook === 'pre-commit') {
      report = await checkStaged(git, { blockOnFormat, onPhase });
    } else {
      const input = await readStdin(io);
      let { updates } = parsePushUpdates(input);
      if (updates.length === 0 && input.trim() === '') {
        const fromEnv = pushUpdatesFromEnv(io.env);
        updates = fromEnv.updates;
        remoteName ??= fromEnv.remote;
      }
      report = await checkPush(git, updates, { blockOnFormat, remote: remoteName, onPhase });
    }
  } catch (err) {
    const what = hook === 'pre-commit' ? 'the staged changes' : 'the commits being pushed';
    const skip = hook === 'pre-commit' ? 'git commit --no-verify' : 'git push --no-verify';
    const why = err instanceof GitNotFoundError || err instanceof NotARepositoryError ? err.message : `${(err as Error).message ?? String(err)}`;
    io.stderr(`rekey hook: could not check ${what}: ${why.split('\n')[0] ?? ''}\n`);
    io.stderr(`rekey hook: the ${hook === 'pre-commit' ? 'commit' : 'push'} was stopped to be safe; fix the problem above, or skip the check once with ${skip}\n`);
    return 2;
  }
  if (format === 'json') io.stdout(JSON.stringify(hookReportJson(report), null, 2) + '\n');
  else io.stderr(hookReportText(report, { remote: remoteName, verbose: values.verbose === true }));
  return report.blocked ? 1 : 0;
}

/** All of stdin, or nothing when it is a terminal (run by hand). */
async function readStdin(io: CliIo): Promise<string> {
  const stdin = io.stdin;
  if (!stdin || (stdin as { isTTY?: boolean }).isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of stdin as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}
