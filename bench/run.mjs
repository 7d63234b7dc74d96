// `npm run bench`: every benchmark in turn. Pass names to run a subset: `npm run bench -- parse detect`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const all = ['parse', 'parseAdversarial', 'detect', 'history', 'hook', 'activation', 'backupAge', 'rotation'];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : all;
let failed = false;
for (const name of wanted) {
  const file = ['ts', 'mjs'].map((ext) => path.join(here, `${name}.${ext}`)).find(existsSync);
  if (!file) {
    console.log(`(no ${name} benchmark yet)`);
    continue;
  }
  console.log(`\n=== bench: ${name} ===`);
  const args = file.endsWith('.ts') ? ['--import', 'tsx', file] : [file];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
