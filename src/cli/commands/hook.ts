import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { GitNotFoundError, NotARepositoryError } from '../../core/git/gitErrors';
import { hookStatus, HookInstallError, installHooks, uninstallHooks, type HookAction, type InstallResult } from '../../core/hook/install';
import { choice, UsageError, type CliCommand, type CliIo } from '../command';
import { REKEY_VERSION } from '../format/findings';
import { displayPath } from '../paths';
import { HOOK_RUN_OPTIONS, runHook } from './hookRun';

const USAGE = `rekey hook run pre-commit|pre-push [--repo DIR] [--block-format-secrets] [--format text|json] [--verbose]
rekey hook install [--pre-commit] [--pre-push] [--repo DIR] [--write] [--cli PATH]
rekey hook uninstall [--pre-commit] [--pre-push] [--repo DIR] [--write]
rekey hook status [--repo DIR] [--format text|json]

Git hooks that stop .env secrets at commit and push time.

run pre-commit   checks the staged snapshot (the index, not the work tree): a staged .env-family
                 file or backup holding secrets, and any staged line, in any file, that contains
                 the exact value of a secret from the work tree's .env files, block the commit.
                 Tokens recognised only by their format warn (block with --block-format-secrets
                 or .rekey.json {"hooks": {"blockOnFormat": true}}).
run pre-push     reads the refs git writes on stdin and checks the commits the remote does not
                 have yet the same way. git's extra arguments (remote name, URL) are accepted.
install          writes the hooks into the repository's real hooks folder (core.hooksPath and
                 worktrees respected), chaining any hook already there; installing twice changes
                 nothing. With husky, lefthook or the pre-commit framework it prints the snippet
                 each expects instead (--write adds it to their configuration). No flag: both.
                 --cli PATH: the rekey CLI the hooks run (default: this one).
uninstall        removes rekey's hooks and puts back the hooks they chained, unchanged.
status           what is installed where.

Messages name files, lines, keys and kinds, never values.
Exit codes: run: 0 allowed, 1 blocked, 2 usage or internal error (the commit is stopped too);
install/uninstall/status: 0 done, 2 error.`;

export const hookCommand: CliCommand = {
  name: 'hook',
  summary: 'Git hooks: stop .env secrets at commit and push time (run, install, uninstall, status)',
  usage: USAGE,
  options: {
    ...HOOK_RUN_OPTIONS,
    'pre-commit': { type: 'boolean' },
    'pre-push': { type: 'boolean' },
    write: { type: 'boolean' },
    cli: { type: 'string' },
  },
  async run(values, positionals, io) {
    const [sub, ...rest] = positionals;
    const repoDir = path.resolve(io.cwd, typeof values.repo === 'string' ? values.repo : '.');
    const format = choice(values.format, 'format', ['text', 'json'] as const, 'text');
    switch (sub) {
      case 'run':
        return runHook(rest, repoDir, values, format, io);
      case 'install':
      case 'uninstall':
        if (rest.length) throw new UsageError(`hook ${sub}: unexpected argument '${rest[0]}'`);
        return manage(sub, repoDir, values, io);
      case 'status':
        if (rest.length) throw new UsageError(`hook status: unexpected argument '${rest[0]}'`);
        return status(repoDir, format, io);
      case undefined:
        throw new UsageError('hook: missing subcommand (run, install, uninstall or status; see rekey hook --help)');
      default:
        throw new UsageError(`hook: unknown subcommand '${sub}' (run, install, uninstall or status)`);
    }
  },
};

type Values = Parameters<CliCommand['run']>[0];

/**
 * The CLI bundle running now (`dist/cli.js`: in the bundle `__filename` is the bundle itself),
 * when it is one a hook can run; from sources (tests, tsx) there is none and the hook falls back
 * to the project's or the global rekey.
 */
function selfCliPath(): string | undefined {
  if (!/\.c?js$/.test(__filename) || !existsSync(__filename)) return undefined;
  return realpathSafe(__filename);
}

async function manage(sub: 'install' | 'uninstall', repoDir: string, values: Values, io: CliIo): Promise<number> {
  const selection = { preCommit: values['pre-commit'] === true, prePush: values['pre-push'] === true };
  let result: InstallResult;
  try {
    if (sub === 'install') {
      let cliPath = typeof values.cli === 'string' ? path.resolve(io.cwd, values.cli) : selfCliPath();
      if (cliPath && !existsSync(cliPath)) throw new UsageError(`hook install: --cli ${values.cli as string} does not exist`);
      if (cliPath) cliPath = realpathSafe(cliPath);
      result = await installHooks(repoDir, {
        ...selection,
        write: values.write === true,
        version: REKEY_VERSION,
        ...(cliPath ? { cliPath } : {}),
        nodePath: process.execPath,
        nodeIsElectron: process.versions.electron !== undefined,
        env: io.env,
      });
    } else {
      result = await uninstallHooks(repoDir, { ...selection, write: values.write === true, env: io.env });
    }
  } catch (err) {
    if (err instanceof HookInstallError || err instanceof NotARepositoryError || err instanceof GitNotFoundError) throw new UsageError(`hook ${sub}: ${err.message}`);
    throw err;
  }
  io.stdout(manageText(result, io.cwd) + '\n');
  return 0;
}

function realpathSafe(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** What install/uninstall did, for people. */
export function manageText(result: InstallResult, cwd: string): string {
  const lines: string[] = [];
  const show = (p: string) => displayPath(p, cwd);
  for (const a of result.actions) lines.push(`rekey: ${actionLine(a, show)}`);
  for (const s of result.snippets) {
    const name = s.framework.id === 'pre-commit' ? 'the pre-commit framework' : s.framework.id;
    const target = s.framework.id === 'husky' ? s.hooks.map((h) => show(path.join(s.framework.config, h))).join(' and ') : show(s.framework.config);
    lines.push('');
    lines.push(`${name} manages this repository's hooks: add this to ${target} (or run rekey hook install --write):`);
    lines.push('');
    lines.push(...s.snippet.trimEnd().split('\n').map((l) => `  ${l}`));
    if (s.framework.id === 'pre-commit' && s.hooks.includes('pre-push')) lines.push('', 'then: pre-commit install --hook-type pre-commit --hook-type pre-push');
    lines.push('', 'rekey must be installed in the project (npm i -D rekey-cli) or globally for these to find it.');
  }
  return lines.join('\n');
}

function actionLine(a: HookAction, show: (p: string) => string): string {
  const f = show(a.file);
  switch (a.action) {
    case 'installed': return `installed the ${a.hook} hook: ${f}`;
    case 'chained': return `installed the ${a.hook} hook: ${f} (the existing hook is now ${path.basename(a.file)}.rekey-chained and still runs first)`;
    case 'updated': return `refreshed the ${a.hook} hook: ${f}`;
    case 'unchanged': return `the ${a.hook} hook is already installed: ${f}`;
    case 'removed': return `removed the ${a.hook} hook: ${f}`;
    case 'restored': return `removed the ${a.hook} hook and put back the hook it chained: ${f}`;
    case 'not-installed': return `no rekey ${a.hook} hook in ${f}; nothing to remove`;
    case 'framework-snippet': return `${a.framework ?? 'a hook manager'} manages the ${a.hook} hook (${f}): see the snippet below`;
    case 'framework-written': return `added rekey's ${a.hook} check to ${f}`;
    case 'framework-present': return `${f} already runs rekey for ${a.hook}${a.framework ? ` (${a.framework})` : ''}`;
    case 'framework-removed': return `took rekey's ${a.hook} check out of ${f}`;
  }
}

async function status(repoDir: string, format: 'text' | 'json', io: CliIo): Promise<number> {
  let s;
  try {
    s = await hookStatus(repoDir, io.env);
  } catch (err) {
    if (err instanceof HookInstallError || err instanceof NotARepositoryError || err instanceof GitNotFoundError) throw new UsageError(`hook status: ${err.message}`);
    throw err;
  }
  if (format === 'json') {
    io.stdout(JSON.stringify({
      version: 1,
      root: s.location.root,
      hooksDir: s.location.hooksDir,
      hooksPath: s.location.hooksPath ?? null,
      frameworks: s.frameworks.map((f) => ({ id: f.id, config: f.config })),
      hooks: s.hooks,
      protectedOnCommit: s.protectedOnCommit,
    }, null, 2) + '\n');
    return 0;
  }
  const lines = [`hooks folder: ${displayPath(s.location.hooksDir, io.cwd)}${s.location.hooksPath ? ` (core.hooksPath=${s.location.hooksPath})` : ''}`];
  for (const f of s.frameworks) lines.push(`hook manager: ${f.id} (${displayPath(f.config, io.cwd)})`);
  for (const h of s.hooks) {
    let state = h.state === 'rekey' ? 'rekey' : h.state === 'foreign' ? 'another hook (not rekey)' : 'not installed';
    if (h.state === 'rekey' && h.chained) state += `, chaining ${h.hook}.rekey-chained`;
    if (h.cliPath) state += `; runs ${h.cliPath}${h.cliExists ? '' : ' (missing: the hook falls back to node_modules/.bin, PATH or npx; reinstall to fix)'}`;
    if (h.frameworks.length) state += `; run by ${h.frameworks.join(', ')}`;
    lines.push(`${h.hook}: ${state}`);
  }
  io.stdout(lines.join('\n') + '\n');
  return 0;
}
