/*
 * The git commands the pre-commit check reads, named in one light module so the hooks' entry
 * point can start them (HookGit.startEarly) before it loads the detection code, which then
 * builds its tables while git works.
 */

/** Options of `git diff` / `git log` that make the patch `readPatch` parses. */
export const PATCH_ARGS = ['-p', '-U0', '--full-index', '-M', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/'];

/** What the index adds relative to HEAD (or to the empty tree on an unborn branch). */
export const STAGED_DIFF_ARGS = ['diff', '--cached', ...PATCH_ARGS];

/** Tracked and untracked files outside ignore rules (envFileList.ts). */
export const LS_VISIBLE_ARGS = ['ls-files', '-z', '--cached', '--others', '--exclude-standard'];

/** Ignored files, ignored folders collapsed to one line each (envFileList.ts). */
export const LS_IGNORED_ARGS = ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'];
