import type * as YamlModule from 'yaml';
import type * as SimpleGitModule from 'simple-git';

/*
 * Libraries that only some operations need (compose/CI parsing, git passes) are loaded on first
 * use, so activating the extension or starting a git hook does not pay for them. The extension
 * build also ships them as separate files (dist/vendor/*.js, see esbuild.js).
 */

let yamlModule: typeof YamlModule | undefined;
let simpleGitModule: typeof SimpleGitModule | undefined;

/** The `yaml` package, loaded on first call. */
export function yaml(): typeof YamlModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlModule ??= require('yaml') as typeof YamlModule);
}

/** The `simple-git` package, loaded on first call. */
export function simpleGitLib(): typeof SimpleGitModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (simpleGitModule ??= require('simple-git') as typeof SimpleGitModule);
}
