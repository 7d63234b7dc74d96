// Bundles the shipped programs: the VS Code extension, the `rekey` CLI and the git hooks' entry point.
// `node esbuild.js [--production] [--watch]`
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// Production (`npm run package`, `npm pack`): minified, with external source maps written next to
// each bundle for symbolicating a user's stack trace, but neither linked from the bundle nor
// shipped (.vscodeignore and the CLI package leave *.map out).
// Output folder (benchmarks build the production bundle elsewhere so dist/ keeps its dev build).
const outDir = process.env.REKEY_OUT_DIR || 'dist';

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? 'external' : 'linked',
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * Libraries the extension loads lazily (src/core/vendor/lazy.ts) ship as their own files next to
 * dist/extension.js and dist/cli.js, so activation and git hooks neither parse nor evaluate them.
 */
/** Package name → chunk name in dist/vendor/ (flat: the packagers' allow-lists name one folder). */
const LAZY_VENDOR = { yaml: 'yaml', pg: 'pg', '@redis/client': 'redis-client', nodemailer: 'nodemailer' };

/** @type {import('esbuild').Plugin} */
const vendorSplit = {
  name: 'vendor-split',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(LAZY_VENDOR).map((n) => n.replace(/[-/]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./vendor/${LAZY_VENDOR[args.path]}.js`, external: true }));
  },
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: `${outDir}/extension.js`, external: ['vscode'], plugins: [vendorSplit] },
  // pg's optional native binding is never installed: its `require` stays unresolved and unused.
  ...Object.entries(LAZY_VENDOR).map(([pkg, chunk]) => ({ ...common, sourcemap: false, entryPoints: [require.resolve(pkg)], outfile: `${outDir}/vendor/${chunk}.js`, external: ['pg-native'] })),
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: `${outDir}/cli.bundle.js`, plugins: [vendorSplit] },
  // What the installed git hooks run: only the commit and push checks, so a commit loads less.
  { ...common, entryPoints: ['src/cli/hookMain.ts'], outfile: `${outDir}/hook.bundle.js`, plugins: [vendorSplit] },
];

/**
 * `cli.js` and `hook.js`, the files users and hooks run, are small loaders that compile the
 * bundle beside them through V8's code cache (src/cli/codeCache.ts). Each loader carries its
 * bundle's content hash, so a cache written for another build is never used; in watch mode the
 * bundle changes under the loader, which then runs without a cache (empty hash).
 */
const LOADERS = [
  { outfile: `${outDir}/cli.js`, bundle: 'cli.bundle.js', banner: { js: '#!/usr/bin/env node' } },
  { outfile: `${outDir}/hook.js`, bundle: 'hook.bundle.js' },
];

function loaderBuild({ outfile, bundle, banner }, hash) {
  const define = { REKEY_BUNDLE: JSON.stringify(bundle), REKEY_BUNDLE_HASH: JSON.stringify(hash) };
  return { ...common, sourcemap: false, entryPoints: ['src/cli/bundleLoader.ts'], outfile, define, ...(banner ? { banner } : {}) };
}

function bundleHash(bundle) {
  const bytes = require('fs').readFileSync(`${outDir}/${bundle}`);
  return require('crypto').createHash('sha256').update(bytes).digest('hex');
}

async function main() {
  if (watch) {
    for (const b of [...builds, ...LOADERS.map((l) => loaderBuild(l, ''))]) await (await esbuild.context(b)).watch();
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
  await Promise.all(LOADERS.map((l) => esbuild.build(loaderBuild(l, bundleHash(l.bundle)))));
  require('fs').chmodSync(`${outDir}/cli.js`, 0o755);
}

main().catch((err) => {
  process.stderr.write(String(err && err.message ? err.message : err) + '\n');
  process.exit(1);
});
