// Makes dist-npm/, the folder published to npm as `rekey-cli` (the name `rekey` belongs to an
// unrelated package; the command stays `rekey`). The extension's package.json is a VS Code
// manifest whose `dependencies` feed the bundler; the CLI package needs none of that: its
// manifest is written here, with no dependencies, and it ships only the production CLI bundle
// and the vendor chunks the bundle loads lazily. Run after `node esbuild.js --production`
// (`npm run pack:cli` does both, then `npm pack ./dist-npm`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI_PACKAGE_NAME = 'rekey-cli';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const outDir = path.join(repoRoot, 'dist-npm');
const dist = path.join(repoRoot, 'dist');

const root = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

function fail(message) {
  process.stderr.write(`makePackage: ${message}\n`);
  process.exit(1);
}

// cli.js and hook.js (the git hooks' entry point: only the commit and push checks) are loaders
// of the bundle beside them (cli.bundle.js, hook.bundle.js) through V8's code cache.
const SHIPPED = ['cli.js', 'cli.bundle.js', 'hook.js', 'hook.bundle.js'];
for (const f of SHIPPED) {
  if (!fs.existsSync(path.join(dist, f))) fail(`dist/${f} is missing: run \`node esbuild.js --production\` first`);
}
const bundle = fs.readFileSync(path.join(dist, 'cli.bundle.js'), 'utf8');
// A development build links a source map that the package does not ship.
if (/\/\/# sourceMappingURL=/.test(bundle)) fail('dist/cli.bundle.js is a development build (it links a source map): run `node esbuild.js --production`');

const vendor = fs.readdirSync(path.join(dist, 'vendor')).filter((f) => f.endsWith('.js')).sort();

const manifest = {
  name: CLI_PACKAGE_NAME,
  version: root.version,
  description: 'The rekey command line: find leaked, changed and overdue secrets in .env files, block them in git hooks, rotate them with the right runbook.',
  license: root.license,
  repository: root.repository,
  homepage: root.homepage,
  bugs: root.bugs,
  keywords: root.keywords,
  bin: { rekey: 'dist/cli.js' },
  engines: { node: root.engines.node },
  files: [...SHIPPED.map((f) => `dist/${f}`), ...vendor.map((f) => `dist/vendor/${f}`)],
};

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(path.join(outDir, 'dist', 'vendor'), { recursive: true });
fs.writeFileSync(path.join(outDir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
for (const f of SHIPPED) fs.copyFileSync(path.join(dist, f), path.join(outDir, 'dist', f));
fs.chmodSync(path.join(outDir, 'dist', 'cli.js'), 0o755);
for (const f of vendor) fs.copyFileSync(path.join(dist, 'vendor', f), path.join(outDir, 'dist', 'vendor', f));
fs.copyFileSync(path.join(here, 'README.md'), path.join(outDir, 'README.md'));
fs.copyFileSync(path.join(repoRoot, 'LICENSE'), path.join(outDir, 'LICENSE'));
process.stderr.write(`makePackage: ${path.relative(repoRoot, outDir)}/ holds ${CLI_PACKAGE_NAME}@${root.version}\n`);
