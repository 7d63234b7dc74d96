import * as path from 'node:path';
import { stateDir } from '../core/state/stateDir';
import { runBundle } from './codeCache';

/*
 * `dist/cli.js` and `dist/hook.js`: load the real bundle next to this file (`cli.bundle.js`,
 * `hook.bundle.js`) through the code cache (codeCache.ts). esbuild builds this file once per
 * bundle and fixes both constants; the cache lives in rekey's state folder.
 */

declare const REKEY_BUNDLE: string;
declare const REKEY_BUNDLE_HASH: string;

runBundle(
  path.join(__dirname, REKEY_BUNDLE),
  { bundleHash: REKEY_BUNDLE_HASH, cacheDir: path.join(stateDir(process.env), 'code-cache') },
  { module, require, filename: __filename, dirname: __dirname },
);
