import { shellSingleQuote } from '../text/shellQuote';
import type { HookName } from './report';

/*
 * The hook scripts rekey writes into a repository's hooks folder: POSIX `sh` (git for Windows
 * runs hooks under its own sh too), builtins only, so they work with a bare PATH.
 *
 * A hook must find rekey long after it was installed, with VS Code closed or updated. It tries,
 * in order: the CLI that installed it (an absolute path, run with the node that ran it, or node
 * on PATH, or the editor's own runtime as node), a newer copy of the same extension (a glob of
 * its versioned folder), the project's `node_modules/.bin/rekey`, `rekey` on PATH, and
 * `npx --no-install rekey`. When none is there it says so and fails: a hook that silently passes
 * would be worse than none.
 *
 * An existing hook is chained, not replaced: it is renamed `<hook>.rekey-chained` and run first
 * (with the same arguments and, for pre-push, the same stdin), and its failure stops the commit
 * as it did before. Uninstalling renames it back, byte for byte and with its mode.
 */

/** First line of the comment that marks a rekey hook (and its version of the script). */
export const HOOK_MARKER = '# rekey-managed-hook';
/** Suffix of an existing hook that a rekey hook chains. */
export const CHAINED_SUFFIX = '.rekey-chained';

export interface HookScriptOptions {
  hook: HookName;
  /** rekey's version, for the comment. */
  version: string;
  /** Absolute path of the CLI bundle (`dist/cli.js`) to run, when known. */
  cliPath?: string;
  /** A glob (`/…/extensions/publisher.rekey-*\/dist/cli.js`) matching other installed versions of it. */
  cliGlob?: string;
  /** Absolute path of the runtime that runs `cliPath`. */
  nodePath?: string;
  /** `nodePath` is an Electron binary (VS Code's), run with `ELECTRON_RUN_AS_NODE=1`. */
  nodeIsElectron?: boolean;
}

/** Whether a hook file's text is a rekey hook. */
export function isRekeyHook(text: string): boolean {
  return text.includes(HOOK_MARKER);
}

/** The embedded CLI path of a rekey hook's text, if any. */
export function embeddedCliPath(text: string): string | undefined {
  const m = /^rekey_cli=('(?:[^']|'\\'')*')$/m.exec(text);
  if (!m) return undefined;
  const v = unquoteSh(m[1] as string);
  return v === '' ? undefined : v;
}

function unquoteSh(q: string): string {
  return q.slice(1, -1).replace(/'\\''/g, "'");
}

/** Forward slashes: git for Windows' sh takes `C:/x/y`, not `C:\x\y`. */
function shPath(p: string | undefined): string {
  return p ? p.replace(/\\/g, '/') : '';
}

/** The full text of the hook script. */
export function renderHookScript(o: HookScriptOptions): string {
  const bypass = o.hook === 'pre-commit' ? 'git commit --no-verify' : 'git push --no-verify';
  const what = o.hook === 'pre-commit' ? 'commits that would add .env secrets' : 'pushes of commits that add .env secrets';
  const head = [
    '#!/bin/sh',
    `${HOOK_MARKER}: ${o.hook} v1 (rekey ${o.version})`,
    `# Stops ${what}. Installed by \`rekey hook install\`; \`rekey hook uninstall\``,
    '# removes it and puts back any hook it chained. Skip it once with',
    `# \`${bypass}\`.`,
    '',
    `rekey_cli=${shellSingleQuote(shPath(o.cliPath))}`,
    `rekey_cli_glob=${shellSingleQuote(shPath(o.cliGlob))}`,
    `rekey_node=${shellSingleQuote(shPath(o.nodePath))}`,
    `rekey_node_electron=${o.nodeIsElectron ? 1 : 0}`,
    '',
    '# Node 22+ keeps the compiled CLI here between runs, so it starts faster.',
    'rekey_cache=${NODE_COMPILE_CACHE:-}',
    'if [ -z "$rekey_cache" ] && [ -n "${HOME:-}" ]; then rekey_cache=${XDG_CACHE_HOME:-$HOME/.cache}/rekey/node-compile-cache; fi',
    '',
    'rekey_with_cli() {',
    '  if [ "$rekey_node_electron" != 1 ] && [ -n "$rekey_node" ] && [ -x "$rekey_node" ]; then NODE_COMPILE_CACHE=$rekey_cache "$rekey_node" "$@"; return $?; fi',
    '  if command -v node >/dev/null 2>&1; then NODE_COMPILE_CACHE=$rekey_cache node "$@"; return $?; fi',
    '  if [ -n "$rekey_node" ] && [ -x "$rekey_node" ]; then ELECTRON_RUN_AS_NODE=1 "$rekey_node" "$@"; return $?; fi',
    '  return 127',
    '}',
    '',
    '# The hooks\' own entry point (hook.js beside cli.js) loads only the checks; same arguments.',
    'rekey_entry_for() {',
    '  rekey_entry=$1',
    '  case "$1" in */cli.js) [ -f "${1%cli.js}hook.js" ] && rekey_entry=${1%cli.js}hook.js ;; esac',
    '}',
    '',
    'rekey_run() {',
    '  if [ -n "$rekey_cli" ] && [ -f "$rekey_cli" ]; then',
    '    rekey_entry_for "$rekey_cli"; rekey_with_cli "$rekey_entry" "$@"; rekey_status=$?',
    '    [ "$rekey_status" != 127 ] && return "$rekey_status"',
    '  fi',
    '  if [ -n "$rekey_cli_glob" ]; then',
    '    rekey_found=',
    '    rekey_ifs=$IFS; IFS=',
    '    for rekey_candidate in $rekey_cli_glob; do',
    '      [ -f "$rekey_candidate" ] && rekey_found=$rekey_candidate',
    '    done',
    '    IFS=$rekey_ifs',
    '    if [ -n "$rekey_found" ]; then',
    '      rekey_entry_for "$rekey_found"; rekey_with_cli "$rekey_entry" "$@"; rekey_status=$?',
    '      [ "$rekey_status" != 127 ] && return "$rekey_status"',
    '    fi',
    '  fi',
    '  if [ -x ./node_modules/.bin/rekey ]; then ./node_modules/.bin/rekey "$@"; return $?; fi',
    '  if command -v rekey >/dev/null 2>&1; then command rekey "$@"; return $?; fi',
    '  if command -v npx >/dev/null 2>&1 && npx --no-install rekey --version >/dev/null 2>&1; then npx --no-install rekey "$@"; return $?; fi',
    '  echo "rekey hook: cannot find the rekey CLI (tried ${rekey_cli:-no saved path}, ./node_modules/.bin/rekey, rekey on PATH, npx --no-install rekey)." >&2',
    `  echo "rekey hook: install it with 'npm i -D rekey-cli' (or 'npm i -g rekey-cli'), or remove this hook with 'rekey hook uninstall' or by deleting $0; '${bypass}' skips it once." >&2`,
    '  return 2',
    '}',
    '',
    'case "$0" in */*) rekey_here=${0%/*} ;; *) rekey_here=. ;; esac',
    `rekey_chained="$rekey_here/${o.hook}${CHAINED_SUFFIX}"`,
    '',
  ];
  const body =
    o.hook === 'pre-push'
      ? [
          '# git writes the refs being pushed on stdin: keep them for both hooks.',
          'rekey_input=',
          'while IFS= read -r rekey_line || [ -n "$rekey_line" ]; do',
          '  rekey_input="$rekey_input$rekey_line',
          '"',
          'done',
          'if [ -x "$rekey_chained" ]; then',
          '  printf \'%s\' "$rekey_input" | "$rekey_chained" "$@" || exit $?',
          'fi',
          'printf \'%s\' "$rekey_input" | rekey_run hook run pre-push "$@"',
          'exit $?',
        ]
      : [
          'if [ -x "$rekey_chained" ]; then',
          '  "$rekey_chained" "$@" || exit $?',
          'fi',
          'rekey_run hook run pre-commit "$@"',
          'exit $?',
        ];
  return [...head, ...body, ''].join('\n');
}
