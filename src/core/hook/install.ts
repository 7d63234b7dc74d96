import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../fs/atomicWrite';
import { GitCommandError } from '../git/gitErrors';
import { detectFrameworks, frameworkHasHook, frameworkSnippet, removeFrameworkHook, writeFrameworkHook, type DetectedFramework } from './frameworks';
import { HookGit } from './hookGit';
import { CHAINED_SUFFIX, embeddedCliPath, isRekeyHook, renderHookScript, type HookScriptOptions } from './hookScript';
import type { HookName } from './report';

/** Installing or removing hooks failed; the message says what to do. Nothing was half-written. */
export class HookInstallError extends Error {
  override name = 'HookInstallError';
}

/** Where a repository's hooks live. */
export interface HooksLocation {
  root: string;
  gitDir: string;
  bare: boolean;
  /** Absolute hooks folder git runs hooks from (`core.hooksPath` or the common git dir's `hooks`). */
  hooksDir: string;
  /** `core.hooksPath` as configured, when it is. */
  hooksPath?: string;
}

export interface HookSelection {
  /** Which hooks; neither given means both. */
  preCommit?: boolean;
  prePush?: boolean;
}

export interface InstallOptions extends HookSelection, Omit<HookScriptOptions, 'hook'> {
  /** Write the snippet into a detected hook manager's configuration instead of only printing it. */
  write?: boolean;
  /** Environment for git (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

export type HookActionKind =
  /** A rekey hook was written where there was none. */
  | 'installed'
  /** The existing hook became `<hook>.rekey-chained` and runs before rekey's. */
  | 'chained'
  /** A rekey hook was already there; its script was refreshed (new CLI path, newer script). */
  | 'updated'
  | 'unchanged'
  /** Uninstall: rekey's hook removed (nothing was chained). */
  | 'removed'
  /** Uninstall: rekey's hook removed and the chained hook put back. */
  | 'restored'
  /** Uninstall: there was no rekey hook. */
  | 'not-installed'
  /** A hook manager is configured; its snippet was printed (or written with `--write`). */
  | 'framework-snippet'
  | 'framework-written'
  | 'framework-present'
  | 'framework-removed';

export interface HookAction {
  hook: HookName;
  action: HookActionKind;
  /** The hook file or framework configuration concerned. */
  file: string;
  framework?: DetectedFramework['id'];
}

export interface InstallResult {
  location: HooksLocation;
  actions: HookAction[];
  frameworks: DetectedFramework[];
  /** For each detected framework not yet running rekey: the text to add (when not `--write`). */
  snippets: Array<{ framework: DetectedFramework; hooks: HookName[]; snippet: string }>;
}

/** The hooks a selection names. */
export function selectedHooks(s: HookSelection): HookName[] {
  if (!s.preCommit && !s.prePush) return ['pre-commit', 'pre-push'];
  return [...(s.preCommit ? ['pre-commit' as const] : []), ...(s.prePush ? ['pre-push' as const] : [])];
}

/**
 * Finds the hooks folder git really uses for the repository containing `dir`:
 * `git rev-parse --git-path hooks` honours `core.hooksPath` and, in a linked worktree, names the
 * main repository's hooks, which every worktree shares.
 * @throws NotARepositoryError, GitNotFoundError
 */
export async function locateHooks(dir: string, env?: NodeJS.ProcessEnv): Promise<HooksLocation> {
  const git = new HookGit({ cwd: dir, env });
  const repo = await git.repository();
  const [hooksRel, configured] = await Promise.all([
    // The only calls that read the configured hooks path instead of rekey's empty override.
    git.run(['rev-parse', '--git-path', 'hooks'], { keepHooksPath: true }),
    git.run(['config', '--get', 'core.hooksPath'], { keepHooksPath: true }).catch((err: unknown) => {
      if (err instanceof GitCommandError && err.exitCode === 1) return '';
      throw err;
    }),
  ]);
  const hooksDir = path.resolve(git.cwd, hooksRel.trim());
  const loc: HooksLocation = { root: repo.root, gitDir: repo.gitDir, bare: repo.bare, hooksDir };
  if (configured.trim()) loc.hooksPath = configured.trim();
  return loc;
}

/**
 * Installs rekey's pre-commit and/or pre-push hook for the repository containing `repoDir`.
 * An existing hook is chained (see hookScript.ts); a rekey hook already there is refreshed, so
 * installing twice changes nothing. When husky, lefthook or the pre-commit framework manage the
 * hooks, nothing is written to the hooks folder: the result carries the snippet each expects,
 * and with `write` it is added to their configuration.
 * @throws HookInstallError, NotARepositoryError, GitNotFoundError
 */
export async function installHooks(repoDir: string, options: InstallOptions): Promise<InstallResult> {
  const location = await locateHooks(repoDir, options.env);
  const hooks = selectedHooks(options);
  if (location.bare && hooks.includes('pre-commit')) {
    throw new HookInstallError(`${location.root} is a bare repository: nobody commits in it, so there is no pre-commit hook to install`);
  }
  const frameworks = location.bare ? [] : await detectFrameworks(location.root, location.hooksPath);
  const result: InstallResult = { location, actions: [], frameworks, snippets: [] };
  if (frameworks.length) {
    for (const fw of frameworks) {
      const missing: HookName[] = [];
      for (const hook of hooks) {
        if (await frameworkHasHook(fw, hook)) {
          result.actions.push({ hook, action: 'framework-present', file: fw.config, framework: fw.id });
        } else if (options.write) {
          await writeFrameworkHook(fw, hook).catch((err: unknown) => {
            throw new HookInstallError(`could not add rekey to ${fw.config}: ${(err as Error).message}`);
          });
          result.actions.push({ hook, action: 'framework-written', file: fw.config, framework: fw.id });
        } else {
          missing.push(hook);
          result.actions.push({ hook, action: 'framework-snippet', file: fw.config, framework: fw.id });
        }
      }
      if (missing.length) result.snippets.push({ framework: fw, hooks: missing, snippet: frameworkSnippet(fw, missing) });
    }
    return result;
  }

  await fs.mkdir(location.hooksDir, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw new HookInstallError(`cannot create the hooks folder ${location.hooksDir} (${err.code ?? err.message})`);
  });
  for (const hook of hooks) {
    const file = path.join(location.hooksDir, hook);
    const chained = file + CHAINED_SUFFIX;
    const script = renderHookScript({ ...options, hook });
    const current = await readIfExists(file);
    try {
      if (current !== undefined && isRekeyHook(current)) {
        if (current === script) {
          result.actions.push({ hook, action: 'unchanged', file });
        } else {
          await writeFileAtomic(file, script, { mode: 0o755 });
          result.actions.push({ hook, action: 'updated', file });
        }
        continue;
      }
      if (current !== undefined || (await isLink(file))) {
        if (existsSync(chained) || (await isLink(chained))) {
          throw new HookInstallError(
            `${file} is not rekey's hook, and ${path.basename(chained)} (a hook rekey chained earlier) is still there: ` +
            `move one of them away, then run rekey hook install again`,
          );
        }
        // rename keeps the bytes, mode, owner and even a symbolic link exactly as they were.
        await fs.rename(file, chained);
        try {
          await writeFileAtomic(file, script, { mode: 0o755 });
        } catch (err) {
          await fs.rename(chained, file).catch(() => undefined);
          throw err;
        }
        result.actions.push({ hook, action: 'chained', file });
        continue;
      }
      await writeFileAtomic(file, script, { mode: 0o755 });
      result.actions.push({ hook, action: 'installed', file });
    } catch (err) {
      if (err instanceof HookInstallError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw new HookInstallError(`could not write ${file}${code ? ` (${code})` : ''}: ${(err as Error).message}`);
    }
  }
  return result;
}

export interface UninstallOptions extends HookSelection {
  /** Also take rekey out of a detected hook manager's configuration. */
  write?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * Removes rekey's hooks and puts back the hooks they chained, renamed back unchanged. Hooks that
 * are not rekey's are left alone. With `write`, rekey's lines are also taken out of a hook
 * manager's configuration.
 * @throws HookInstallError, NotARepositoryError, GitNotFoundError
 */
export async function uninstallHooks(repoDir: string, options: UninstallOptions = {}): Promise<InstallResult> {
  const location = await locateHooks(repoDir, options.env);
  const hooks = selectedHooks(options);
  const frameworks = location.bare ? [] : await detectFrameworks(location.root, location.hooksPath);
  const result: InstallResult = { location, actions: [], frameworks, snippets: [] };
  for (const hook of hooks) {
    const file = path.join(location.hooksDir, hook);
    const chained = file + CHAINED_SUFFIX;
    const current = await readIfExists(file);
    if (current === undefined || !isRekeyHook(current)) {
      result.actions.push({ hook, action: 'not-installed', file });
      continue;
    }
    try {
      if (existsSync(chained) || (await isLink(chained))) {
        await fs.rename(chained, file);
        result.actions.push({ hook, action: 'restored', file });
      } else {
        await fs.unlink(file);
        result.actions.push({ hook, action: 'removed', file });
      }
    } catch (err) {
      throw new HookInstallError(`could not remove ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  for (const fw of frameworks) {
    for (const hook of hooks) {
      if (!(await frameworkHasHook(fw, hook))) continue;
      if (options.write && (await removeFrameworkHook(fw, hook))) {
        result.actions.push({ hook, action: 'framework-removed', file: fw.config, framework: fw.id });
      } else {
        result.actions.push({ hook, action: 'framework-present', file: fw.config, framework: fw.id });
      }
    }
  }
  return result;
}

export type HookFileState = 'absent' | 'rekey' | 'foreign';

export interface HookStatusEntry {
  hook: HookName;
  file: string;
  state: HookFileState;
  /** rekey's hook runs a chained hook. */
  chained: boolean;
  /** The CLI path the rekey hook runs, and whether it still exists. */
  cliPath?: string;
  cliExists?: boolean;
  /** Hook managers whose configuration runs rekey for this hook. */
  frameworks: Array<DetectedFramework['id']>;
}

export interface HookStatus {
  location: HooksLocation;
  frameworks: DetectedFramework[];
  hooks: HookStatusEntry[];
  /** rekey runs on commit (its hook, or a hook manager's configuration). */
  protectedOnCommit: boolean;
}

/** What is installed where. @throws NotARepositoryError, GitNotFoundError */
export async function hookStatus(repoDir: string, env?: NodeJS.ProcessEnv): Promise<HookStatus> {
  const location = await locateHooks(repoDir, env);
  const frameworks = location.bare ? [] : await detectFrameworks(location.root, location.hooksPath);
  const hooks: HookStatusEntry[] = [];
  for (const hook of ['pre-commit', 'pre-push'] as const) {
    const file = path.join(location.hooksDir, hook);
    const text = await readIfExists(file);
    const entry: HookStatusEntry = {
      hook, file, state: text === undefined ? 'absent' : isRekeyHook(text) ? 'rekey' : 'foreign',
      chained: existsSync(file + CHAINED_SUFFIX), frameworks: [],
    };
    if (text !== undefined && entry.state === 'rekey') {
      const cli = embeddedCliPath(text);
      if (cli) {
        entry.cliPath = cli;
        entry.cliExists = existsSync(cli);
      }
    }
    for (const fw of frameworks) if (await frameworkHasHook(fw, hook)) entry.frameworks.push(fw.id);
    hooks.push(entry);
  }
  const pc = hooks[0] as HookStatusEntry;
  return { location, frameworks, hooks, protectedOnCommit: pc.state === 'rekey' || pc.frameworks.length > 0 };
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EISDIR') throw new HookInstallError(`${file} is a folder, not a hook script; move it away first`);
    throw new HookInstallError(`cannot read ${file} (${code ?? 'error'})`);
  }
}

async function isLink(file: string): Promise<boolean> {
  return fs.lstat(file).then((s) => s.isSymbolicLink(), () => false);
}
