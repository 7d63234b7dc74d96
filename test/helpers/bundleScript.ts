import { buildSync } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const built = new Map<string, string>();

/**
 * Bundles a TypeScript entry (a child-process script of a test) into one plain JS file in a
 * temporary folder, once per test run, so that tests can start many real `node` processes
 * without paying a TypeScript loader's start-up in each.
 */
export function bundleScript(entry: string): string {
  const known = built.get(entry);
  if (known) return known;
  const outfile = path.join(mkdtempSync(path.join(os.tmpdir(), 'rekey-child-')), path.basename(entry).replace(/\.ts$/, '.js'));
  buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', external: ['yaml'] });
  built.set(entry, outfile);
  return outfile;
}
