import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { LS_IGNORED_ARGS, LS_VISIBLE_ARGS, STAGED_DIFF_ARGS } from '../core/hook/hookCommands';
import { HookGit } from '../core/hook/hookGit';
import { choice, parseCommandArgs, UsageError, type CliIo } from './command';
import type * as HookRunModule from './commands/hookRun';
import { HOOK_RUN_OPTIONS } from './commands/hookRunOptions';

/*
 * `dist/hook.js`: the entry point rekey's installed git hooks run, with the arguments of
 * `rekey hook run` (`node hook.js hook run pre-commit`). It bundles only the commit and push
 * checks, so every commit pays for loading those and not the whole CLI. Anything else is a usage
 * error pointing at `dist/cli.js`, which runs the same check with the same arguments.
 *
 * A pre-commit check starts its git commands first and only then loads the checks (a `require`
 * the bundler turns into a deferred module), so git reads the index while the detection tables
 * are built rather than after.
 */

/** Runs `hook run pre-commit|pre-push …` and returns the exit code (as `rekey hook run`). */
export async function runHookEntry(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, sub, ...rest] = argv;
    if (command !== 'hook' || sub !== 'run') {
      throw new UsageError('hook.js runs git hooks only (hook run pre-commit|pre-push); use the rekey CLI (cli.js) for everything else');
    }
    const { values, positionals } = parseCommandArgs({ name: 'hook run', summary: '', usage: '', options: HOOK_RUN_OPTIONS, run: () => Promise.resolve(2) }, rest);
    const repoDir = path.resolve(io.cwd, typeof values.repo === 'string' ? values.repo : '.');
    const format = choice(values.format, 'format', ['text', 'json'] as const, 'text');
    const git = positionals[0] === 'pre-commit' && existsSync(repoDir) ? new HookGit({ cwd: repoDir, env: io.env }) : undefined;
    // The file listing runs where the check runs it: at the top of the work tree.
    git?.startEarly({ streams: [STAGED_DIFF_ARGS], runs: git.plainWorkTree() ? [LS_VISIBLE_ARGS, LS_IGNORED_ARGS] : [] });
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runHook } = require('./commands/hookRun') as typeof HookRunModule;
      return await runHook(positionals, repoDir, values, format, io, git ? { git } : {});
    } finally {
      git?.discardEarly();
    }
  } catch (err) {
    const message = err instanceof UsageError ? err.message : `internal error: ${(err as Error).message ?? String(err)}`;
    io.stderr(`rekey: ${message.split('\n')[0]}\n`);
    return 2;
  }
}

function main(): void {
  const io: CliIo = {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    // A getter: touching `process.stdin` opens it (a socket or pipe handle), a few ms that only
    // the commands reading it (pre-push, --value-stdin) need.
    get stdin() {
      return process.stdin;
    },
    isTty: process.stdout.isTTY === true,
  };
  runHookEntry(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`rekey: internal error: ${(err as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) main();
