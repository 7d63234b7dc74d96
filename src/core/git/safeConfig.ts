/*
 * What every git process rekey starts is given, so that nothing in a repository's configuration
 * (or in `.gitattributes`, which is repository content) can make it start a program. They are
 * applied by the one spawn point (`gitStream.ts`) to every invocation, trusted or not: rekey's git
 * calls only read, and none needs a program the repository names. Workspace trust decides only
 * whether the editor runs git at all.
 *
 * Command-line configuration has the highest precedence, above the repository's `.git/config` and
 * anything it includes, so these hold even against a hostile repository. System and global
 * configuration are the user's own and are still read (`GIT_CONFIG_NOSYSTEM` is not set): they
 * may carry `safe.directory` entries the user relies on; the overrides win over them too.
 *
 * The ways configuration can make git start a program, and what stops each:
 *
 * - `core.fsmonitor` runs a hook program whenever the index is read (ls-files, check-ignore, diff
 *   --cached, rm): the classic attack on tools that run git in a folder the user merely opened.
 * - `core.pager`, `pager.<cmd>`, `GIT_PAGER`, `PAGER`: git only pages with a terminal on stdout,
 *   which rekey never gives it; `--no-pager` and `core.pager=cat` make sure.
 * - `diff.external`, `diff.<driver>.command` and `diff.<driver>.textconv` (the driver chosen by
 *   `.gitattributes`): every diff-producing command (log, diff, show…) gets `--no-ext-diff
 *   --no-textconv` added by the spawn point, whatever the caller passed.
 * - `filter.<driver>.clean/smudge/process`: run only when git converts between the work tree and
 *   the index (add, rm, status, checkout, hash-object). For those commands the spawn point first
 *   lists the configured filter drivers (`git config --get-regexp`, which starts nothing) and
 *   blanks every one of them; rekey's read commands never convert.
 * - Transports (`core.sshCommand`, `GIT_SSH*`, `remote.<name>.uploadpack`, `core.gitProxy`,
 *   `remote-<scheme>` and `ext::` helpers), which a partial clone would start to lazily fetch a
 *   missing object: every protocol is disallowed and `GIT_NO_LAZY_FETCH=1` (git 2.44+) is set, so
 *   a rekey command never touches the network.
 * - Credentials and prompts (`credential.helper`, `core.askPass`, `GIT_ASKPASS`, `SSH_ASKPASS`):
 *   reset to nothing, and `GIT_TERMINAL_PROMPT=0`.
 * - Signatures (`log.showSignature` runs `gpg.program`, `gpg.ssh.program`, `gpg.x509.program`).
 * - Hooks (`core.hooksPath`): no read command runs a hook; they point at an empty path anyway, so a
 *   command added later cannot start one (except where rekey must read the real value to install
 *   its own hooks, see {@link safeGitArgs}).
 * - `core.alternateRefsCommand`, `uploadpack.packObjectsHook`, editors: used only by commands rekey
 *   never runs; blanked all the same.
 *
 * Some overrides also pin output formats rekey parses (colour, quoting, signature lines, merge
 * diffs).
 */

/** `-c` overrides given to every git process rekey starts. */
export const SAFE_CONFIG: readonly string[] = [
  // Output rekey parses.
  'color.ui=false',
  'core.quotePath=false',
  'log.showRoot=true',
  'log.diffMerges=separate',
  'log.follow=false',
  'diff.submodule=short',
  'submodule.recurse=false',
  // Programs the repository's config could name.
  'core.fsmonitor=false',
  'core.pager=cat',
  'diff.external=',
  'log.showSignature=false',
  'gpg.program=',
  'gpg.ssh.program=',
  'gpg.x509.program=',
  'credential.helper=',
  'core.askPass=',
  'core.sshCommand=',
  'core.gitProxy=',
  'core.alternateRefsCommand=',
  'uploadpack.packObjectsHook=',
  'core.editor=:',
  'sequence.editor=:',
  'protocol.allow=never',
  'protocol.file.allow=never',
  'protocol.git.allow=never',
  'protocol.ssh.allow=never',
  'protocol.http.allow=never',
  'protocol.https.allow=never',
  'protocol.ext.allow=never',
];

/** Points hooks at a path that holds none. */
export const HOOKS_OVERRIDE = 'core.hooksPath=/dev/null';

/**
 * The global arguments (before the subcommand) of one git invocation.
 * @param keepHooksPath leave `core.hooksPath` as configured: only for the read-only lookups that
 * locate the hooks folder when installing rekey's hooks (`rev-parse --git-path hooks`, `config
 * --get core.hooksPath`), which would otherwise read back the override.
 */
export function safeGitArgs(options: { keepHooksPath?: boolean } = {}): string[] {
  const config = options.keepHooksPath ? SAFE_CONFIG : [...SAFE_CONFIG, HOOKS_OVERRIDE];
  return ['--no-pager', ...config.flatMap((c) => ['-c', c])];
}

/** The `-c key=value` pairs every invocation gets (for `--verbose` output and tests). */
export function configOverrides(_trusted?: boolean): string[] {
  return [...SAFE_CONFIG, HOOKS_OVERRIDE];
}

/** Subcommands that take diff options: they always run with `--no-ext-diff --no-textconv`. */
export const DIFF_COMMANDS: ReadonlySet<string> = new Set(['log', 'show', 'diff', 'diff-tree', 'diff-index', 'diff-files', 'whatchanged', 'format-patch']);

/** Arguments added right after a {@link DIFF_COMMANDS} subcommand. */
export const NO_DIFF_PROGRAMS: readonly string[] = ['--no-ext-diff', '--no-textconv'];

/**
 * Subcommands that may convert between the work tree and the index, and so run filter drivers.
 * The spawn point blanks every configured filter before running one of them.
 */
export const FILTER_COMMANDS: ReadonlySet<string> = new Set(['rm', 'add', 'status', 'hash-object', 'checkout', 'restore', 'stash', 'reset', 'update-index', 'commit', 'mv', 'apply', 'read-tree', 'checkout-index', 'grep']);

/**
 * The `-c` pairs that switch off the filter drivers named in `git config --name-only --get-regexp
 * '^filter\.'` output (one key per line).
 * @throws Error when a driver name cannot be written as a `-c` override (it holds `=` or a line
 * break): the command must not run then.
 */
export function filterOverrides(configKeys: string): string[] {
  const drivers = new Set<string>();
  for (const key of configKeys.split('\n')) {
    if (!key.toLowerCase().startsWith('filter.')) continue;
    const last = key.lastIndexOf('.');
    if (last <= 'filter.'.length) continue;
    drivers.add(key.slice('filter.'.length, last));
  }
  const out: string[] = [];
  for (const name of drivers) {
    if (/[=\r\n]/.test(name)) throw new Error('a filter driver in the git config has a name rekey cannot override; refusing to run git');
    out.push(`filter.${name}.clean=`, `filter.${name}.smudge=`, `filter.${name}.process=`, `filter.${name}.required=false`);
  }
  return out;
}

/**
 * Environment variables rekey sets for git. Everything else starting with `GIT_` is removed from
 * the child's environment, so a `GIT_DIR` or `GIT_INDEX_FILE` inherited from a hook, or a
 * `GIT_EXTERNAL_DIFF` / `GIT_PAGER` / `GIT_SSH_COMMAND` / `GIT_ASKPASS` / `GIT_CONFIG_*` from the
 * shell, cannot redirect or extend what runs.
 */
export const GIT_ENV: Readonly<Record<string, string>> = {
  GIT_NO_LAZY_FETCH: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_PROTOCOL_FROM_USER: '0',
  GIT_PAGER: 'cat',
  // English messages, so the few rekey recognises ("not a git repository") match everywhere.
  LC_ALL: 'C',
  LANGUAGE: 'C',
};

/** Non-`GIT_` variables that also steer which programs git runs. */
const GUARDED_PLAIN = new Set(['editor', 'visual', 'pager', 'ssh_askpass', 'prefix', 'less', 'lv']);

/**
 * The environment for a git child: the ambient one minus git's variables (except the `keep` ones,
 * which the hooks need to read the snapshot being committed), plus {@link GIT_ENV}.
 */
export function gitEnvironment(base: NodeJS.ProcessEnv = process.env, keep: Readonly<Record<string, string>> = NO_VARIABLES): NodeJS.ProcessEnv {
  // A frozen base and keep cannot change, so their result is computed once (HookGit passes
  // frozen snapshots: a hook starts several gits). process.env is enumerated on every call.
  const memo = Object.isFrozen(base) && Object.isFrozen(keep) ? frozenEnvironments.get(base) : undefined;
  const known = memo?.get(keep);
  if (known) return known;
  const result = Object.freeze(scrubbed(base, keep));
  if (Object.isFrozen(base) && Object.isFrozen(keep)) {
    const byKeep = frozenEnvironments.get(base) ?? new WeakMap<object, NodeJS.ProcessEnv>();
    byKeep.set(keep, result);
    frozenEnvironments.set(base, byKeep);
  }
  return result;
}

const NO_VARIABLES: Readonly<Record<string, string>> = Object.freeze({});
const frozenEnvironments = new WeakMap<object, WeakMap<object, NodeJS.ProcessEnv>>();

function scrubbed(base: NodeJS.ProcessEnv, keep: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    const lower = k.toLowerCase();
    if (lower.startsWith('git_') || GUARDED_PLAIN.has(lower)) continue;
    env[k] = v;
  }
  return { ...env, ...keep, ...GIT_ENV };
}
