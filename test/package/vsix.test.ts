// The .vsix `npm run package` made: exactly the files the extension needs, a manifest the
// Marketplace accepts, no source maps, and vsce's secret scan passed without an allowance.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/shared';
import { ROOT_MANIFEST, ok, run, vsixPath } from './artifacts';

/** Written out by hand: a new file in the .vsix must be a deliberate change to this list. */
const EXPECTED_ENTRIES = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/LICENSE.txt',
  'extension/changelog.md',
  'extension/dist/cli.bundle.js',
  'extension/dist/cli.js',
  'extension/dist/extension.js',
  'extension/dist/hook.bundle.js',
  'extension/dist/hook.js',
  'extension/dist/vendor/nodemailer.js',
  'extension/dist/vendor/pg.js',
  'extension/dist/vendor/redis-client.js',
  'extension/dist/vendor/yaml.js',
  'extension/language-configuration.json',
  'extension/media/icon.png',
  'extension/media/rekey.svg',
  'extension/media/walkthrough/installHooks.md',
  'extension/media/walkthrough/rotateSecret.md',
  'extension/media/walkthrough/scanHistory.md',
  'extension/media/walkthrough/secretsView.md',
  'extension/package.json',
  'extension/readme.md',
  'extension/snippets/runbook.dotenv.json',
  'extension/snippets/runbook.markdown.json',
];

const vsce = path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce');

function entries(vsix: string): string[] {
  return ok('unzip', ['-Z1', vsix]).stdout.split('\n').filter(Boolean).sort();
}

function entryText(vsix: string, name: string): string {
  return ok('unzip', ['-p', vsix, name], { maxBuffer: 64 * 1024 * 1024 }).stdout;
}

describe('package/vsix', () => {
  it('holds exactly the expected files', () => {
    assert.deepEqual(entries(vsixPath()), [...EXPECTED_ENTRIES].sort());
  });

  it('ships production bundles that link no source map', () => {
    const vsix = vsixPath();
    for (const js of EXPECTED_ENTRIES.filter((e) => e.endsWith('.js'))) {
      const text = entryText(vsix, js);
      assert.doesNotMatch(text, /sourceMappingURL/, `${js} links a source map that is not shipped`);
    }
    // Minified: the development build keeps one statement per line (about 20,000 lines); the
    // production one keeps only the line breaks inside template literals (about 200).
    const extension = entryText(vsix, 'extension/dist/extension.js');
    assert.ok(extension.split('\n').length < 1_000, `extension.js has ${extension.split('\n').length} lines: not a production build`);
  });

  it('carries the manifest fields the Marketplace and Open VSX need', () => {
    const manifest = JSON.parse(entryText(vsixPath(), 'extension/package.json')) as Record<string, unknown>;
    assert.equal(manifest.version, ROOT_MANIFEST.version);
    assert.equal(manifest.license, 'MIT');
    assert.deepEqual(manifest.repository, { type: 'git', url: 'https://github.com/rekey-dev/rekey.git' });
    assert.equal(manifest.icon, 'media/icon.png');
    assert.ok(manifest.galleryBanner, 'galleryBanner');
    assert.equal(manifest.files, undefined, 'a files list next to .vscodeignore makes vsce refuse to package');
    const readme = entryText(vsixPath(), 'extension/readme.md');
    // vsce rewrites relative links and images against the repository; none may stay relative.
    for (const m of readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)/g)) {
      const target = m[1] ?? '';
      assert.match(target, /^(https:\/\/|#|mailto:)/, `README link ${target} does not work outside the repository`);
    }
  });

  it('is made by vsce with its secret scan on', () => {
    assert.doesNotMatch(ROOT_MANIFEST.scripts.package ?? '', /--allow-package-(all-)?secrets|--allow-package-env-file/);
    assert.match(ROOT_MANIFEST.scripts.package ?? '', /\bvsce package\b/);
    assert.doesNotMatch(ROOT_MANIFEST.scripts.package ?? '', /npx/, 'vsce comes from devDependencies, not a download at package time');
  });

  it("vsce's secret scan does reject a token-shaped literal (so the packaged .vsix passing it means something)", function () {
    this.timeout(120_000);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rekey-vsce-scan-'));
    try {
      mkdirSync(path.join(dir, 'dist'));
      // A Slack app-level token shape (api.slack.com/authentication/token-types), assembled here
      // so that this test file itself holds no token-shaped literal.
      const token = ['xapp', '1', 'A0123456789', '1234567890123', 'a'.repeat(64)].join('-');
      writeFileSync(path.join(dir, 'dist', 'extension.js'), `exports.t = ${JSON.stringify(token)};\n`);
      writeFileSync(path.join(dir, 'README.md'), '# fixture\n');
      writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
      writeFileSync(path.join(dir, '.vscodeignore'), '**\n!dist/extension.js\n!package.json\n!README.md\n!LICENSE\n');
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
        name: 'scan-fixture', publisher: 'rekey-test', version: '0.0.1', license: 'MIT', main: './dist/extension.js', activationEvents: ['onStartupFinished'],
        engines: { vscode: '^1.90.0' }, repository: { type: 'git', url: 'https://github.com/rekey-dev/rekey.git' },
      }));
      const r = run(vsce, ['package', '--no-dependencies', '--out', path.join(dir, 'out.vsix')], { cwd: dir });
      assert.notEqual(r.code, 0, 'vsce packaged a Slack token');
      assert.match(r.stdout + r.stderr, /slack/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('.vscodeignore is an allow-list', () => {
    const lines = readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], '**');
    assert.ok(lines.slice(1).every((l) => l.startsWith('!')), lines.join(', '));
  });
});
