/*
 * The `-c` overrides rekey passes to every git it runs. Command-line configuration has the highest
 * precedence, above the repository's `.git/config` and anything it includes, so these hold even
 * against a hostile repository.
 *
 * rekey only ever runs read-only commands (rev-parse, log, cat-file, ls-files, check-ignore,
 * for-each-ref, rev-list). Of the configuration that can make such commands run a program:
 *
 * - `core.fsmonitor` runs a hook program whenever the index is read (ls-files, check-ignore):
 *   the classic attack on tools that run git in a folder the user merely opened.
 * - `log.showSignature` makes `git log` run `gpg.program` (or `gpg.ssh.program`).
 * - `diff.external` and `diff.<driver>.textconv` (selected by `.gitattributes`, which is part of
 *   the repository content) make `git log -p` run programs; log -p is always given
 *   `--no-ext-diff --no-textconv` as well.
 * - A partial clone lazily fetches any missing object a command reads, running the transport the
 *   repository names (`remote.<name>.uploadpack`, `core.sshCommand`, a `remote-<scheme>` helper).
 *   Every protocol is therefore disallowed: a scan never touches the network. Objects known to be
 *   missing are not requested at all, and `GIT_NO_LAZY_FETCH=1` (git 2.44+) is set too.
 * - `core.pager` and `pager.<cmd>` only run with a terminal on stdout, which rekey never gives git;
 *   `core.pager=cat` is belt and braces. Hooks (`core.hooksPath`) and `credential.helper` are not
 *   used by read commands; they are neutralised anyway so a future command added here is safe.
 *   `uploadpack.packObjectsHook` is only honoured from protected (non-repository) configuration by
 *   git itself and only by upload-pack, which rekey never runs.
 *
 * System and global configuration are the user's own and are left alone (`GIT_CONFIG_NOSYSTEM`
 * is not set): they may carry `safe.directory` entries the user relies on.
 *
 * Some overrides also pin output formats rekey parses (colour, signature lines, merge diffs),
 * so they apply in trusted workspaces too.
 *
 * simple-git (v4) refuses several of these keys (`core.fsmonitor`, `core.pager`, `core.hooksPath`,
 * `credential.helper`, `protocol.allow`...) in any `-c` argument unless the matching `unsafe`
 * flag is set, because it cannot tell a safe value from a hostile one. rekey builds every argument
 * itself (never from user input), so the runner enables exactly the flags these overrides need;
 * see {@link SIMPLE_GIT_UNSAFE_FLAGS}.
 */

/** Overrides that keep output parseable and keep every scan offline, trusted or not. */
export const ALWAYS_CONFIG: readonly string[] = [
  'color.ui=false',
  'core.quotePath=false',
  'log.showSignature=false',
  'log.showRoot=true',
  'log.diffMerges=separate',
  'log.follow=false',
  'diff.submodule=short',
  'core.pager=cat',
  'protocol.allow=never',
  'protocol.file.allow=never',
  'protocol.git.allow=never',
  'protocol.ssh.allow=never',
  'protocol.http.allow=never',
  'protocol.https.allow=never',
  'protocol.ext.allow=never',
];

/** Further overrides for untrusted folders: nothing in the repository's config may run a program. */
export const UNTRUSTED_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'diff.external=',
  'credential.helper=',
  'core.askPass=',
  'core.sshCommand=',
  'gpg.program=',
  'core.alternateRefsCommand=',
];

/** The `-c key=value` pairs for one invocation. */
export function configOverrides(trusted: boolean): string[] {
  return trusted ? [...ALWAYS_CONFIG] : [...ALWAYS_CONFIG, ...UNTRUSTED_CONFIG];
}

/**
 * simple-git `unsafe` flags needed for the overrides above to pass its argument guard. They do not
 * loosen anything for callers: rekey never passes user-supplied arguments or configuration.
 */
export const SIMPLE_GIT_UNSAFE_FLAGS = {
  allowUnsafeFsMonitor: true,
  allowUnsafeHooksPath: true,
  allowUnsafePager: true,
  allowUnsafeProtocolOverride: true,
  allowUnsafeCredentialHelper: true,
  allowUnsafeAskPass: true,
  allowUnsafeSshCommand: true,
  allowUnsafeDiffExternal: true,
  allowUnsafeGpgProgram: true,
} as const;

/**
 * Environment variables rekey sets for git. Everything else starting with `GIT_` is removed from
 * the child's environment (as simple-git does), so a `GIT_DIR` or `GIT_INDEX_FILE` inherited from
 * a hook, or a `GIT_EXTERNAL_DIFF` / `GIT_PAGER` from the shell, cannot redirect or extend what
 * runs.
 */
export const GIT_ENV: Readonly<Record<string, string>> = {
  GIT_NO_LAZY_FETCH: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  // English messages, so the few rekey recognises ("not a git repository") match everywhere.
  LC_ALL: 'C',
  LANGUAGE: 'C',
};

/** Non-`GIT_` variables that also steer which programs git runs. */
const GUARDED_PLAIN = new Set(['editor', 'visual', 'pager', 'ssh_askpass', 'prefix']);

/** The environment for a git child: the ambient one minus git's variables, plus {@link GIT_ENV}. */
export function gitEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    const lower = k.toLowerCase();
    if (lower.startsWith('git_') || GUARDED_PLAIN.has(lower)) continue;
    env[k] = v;
  }
  return { ...env, ...GIT_ENV };
}
