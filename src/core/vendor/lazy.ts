import type * as YamlModule from 'yaml';

/*
 * Libraries that only some operations need (compose/CI parsing) are loaded on first
 * use, so activating the extension or starting a git hook does not pay for them. The extension
 * build also ships them as separate files (dist/vendor/*.js, see esbuild.js).
 */

let yamlModule: typeof YamlModule | undefined;

/** The `yaml` package, loaded on first call. */
export function yaml(): typeof YamlModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlModule ??= require('yaml') as typeof YamlModule);
}
