import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { cli, copyFixture } from '../../helpers/cli';
import { cliBundle } from '../core/hook/hookTestRepo';
import { REPO_ROOT } from '../../helpers/shared';

// Microsoft's copy of the SARIF 2.1.0 schema, shipped in the @microsoft/jest-sarif package.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sarifSchema = require(path.join(REPO_ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')) as object;

interface ScanJson {
  version: number;
  files: Array<{ path: string; entries: Array<Record<string, unknown>> }>;
  findings: Array<{ file: string; line: number; column: number; rule: string; severity: string; key: string | null; message: string }>;
}

describe('rekey scan', () => {
  it('reports parser problems with stable rule ids and 1-based positions', async () => {
    const dir = copyFixture('canary');
    const r = await cli(['scan', '--format', 'json', '--fail-on', 'never'], dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as ScanJson;
    assert.equal(out.version, 1);
    const rules = out.findings.filter((f) => f.file === '.env').map((f) => `${f.rule}@${f.line}`);
    for (const expected of ['no-equals@16', 'invalid-key@17', 'duplicate-key@2', 'hash-in-value@12', 'unterminated-quote@14', 'spaces-around-equals@11']) {
      assert.ok(rules.includes(expected), `${expected} in ${rules.join(', ')}`);
    }
    const env = out.files.find((f) => f.path === '.env');
    assert.ok(env);
    const first = env.entries[0] as Record<string, unknown>;
    assert.deepEqual(first, { key: 'AUTH_SECRET', line: 2, column: 1, endLine: 2, endColumn: 69, quote: 'none', exported: false });
  });

  it('lists gitignored files and skips dependency folders', async () => {
    const dir = copyFixture('canary');
    writeFileSync(path.join(dir, '.gitignore'), '.env\napp/\n');
    mkdirSync(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules', 'pkg', '.env'), 'X=1\n');
    const out = JSON.parse((await cli(['scan', '--format', 'json', '--fail-on', 'never'], dir)).stdout) as ScanJson;
    assert.deepEqual(out.files.map((f) => f.path).sort(), ['.env', '.env.backup', '.env.example', 'app/.env.production']);
  });

  it('names files relative to the working directory, absolute outside it, so several paths never clash', async () => {
    const a = copyFixture('canary');
    const b = copyFixture('canary');
    const out = JSON.parse((await cli(['scan', '.', b, '--format', 'json', '--fail-on', 'never'], a)).stdout) as ScanJson;
    const paths = out.files.map((f) => f.path);
    assert.ok(paths.includes('.env'));
    assert.ok(paths.includes(path.join(b, '.env')));
    assert.equal(new Set(paths).size, paths.length);
  });

  it('exits 1 when a finding reaches --fail-on, 0 otherwise', async () => {
    const dir = copyFixture('canary');
    assert.equal((await cli(['scan', '--fail-on', 'warning'], dir)).code, 1);
    assert.equal((await cli(['scan', '--fail-on', 'never'], dir)).code, 0);
  });

  it('exits 2 with one line for usage errors and missing paths', async () => {
    const dir = copyFixture('canary');
    for (const argv of [['scan', 'does-not-exist'], ['scan', '--format', 'xml'], ['scan', '--fail-on', 'sometimes'], ['scan', '--bogus'], ['frobnicate']]) {
      const r = await cli(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^rekey: /);
    }
  });

  it('survives binary, oversized and non-UTF-8 files and goes on with the others', async () => {
    const dir = copyFixture('canary');
    writeFileSync(path.join(dir, '.env.binary'), Buffer.from([0x41, 0x3d, 0x00, 0x01, 0x02]));
    writeFileSync(path.join(dir, '.env.latin1'), Buffer.from([0x41, 0x3d, 0xe9, 0x0a]));
    writeFileSync(path.join(dir, '.env.huge'), 'A=' + 'x'.repeat(2 * 1024 * 1024) + '\n');
    const r = await cli(['scan', '--format', 'json', '--fail-on', 'never'], dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as ScanJson;
    const unreadable = out.findings.filter((f) => f.rule === 'unreadable-file').map((f) => `${f.file}: ${f.message}`).sort();
    assert.equal(unreadable.length, 3, unreadable.join('\n'));
    assert.match(unreadable.join('\n'), /\.env\.binary: Not scanned: binary/);
    assert.match(unreadable.join('\n'), /\.env\.huge: Not scanned: larger than the 1 MiB limit/);
    assert.match(unreadable.join('\n'), /\.env\.latin1: Not scanned: not valid UTF-8/);
    assert.ok(out.files.some((f) => f.path === '.env' && f.entries.length > 5), 'other files still scanned');
    const capped = JSON.parse((await cli(['scan', '--format', 'json', '--fail-on', 'never', '--max-bytes', '4194304'], dir)).stdout) as ScanJson;
    assert.equal(capped.findings.filter((f) => f.rule === 'unreadable-file').length, 2, '--max-bytes raises the cap');
  });

  it('reports an unreadable file without failing (as root too: the check runs as nobody)', async () => {
    const dir = copyFixture('canary');
    chmodSync(path.join(dir, '.env.backup'), 0o000);
    let stdout: string;
    if (process.getuid?.() === 0) {
      // Root reads everything; setpriv runs the shipped CLI without root's privileges.
      chmodSync(dir, 0o755);
      for (const f of readdirSync(dir)) if (f !== '.env.backup') chmodSync(path.join(dir, f), 0o755);
      const bundle = cliBundle();
      for (let d = path.dirname(bundle); d !== path.dirname(d); d = path.dirname(d)) chmodSync(d, 0o755);
      const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bundle, 'scan', '--format', 'json', '--fail-on', 'never'], { cwd: dir, encoding: 'utf8', env: { ...process.env, HOME: dir } });
      assert.equal(r.status, 0, r.stderr);
      stdout = r.stdout;
    } else {
      stdout = (await cli(['scan', '--format', 'json', '--fail-on', 'never'], dir)).stdout;
    }
    const out = JSON.parse(stdout) as ScanJson;
    assert.ok(out.findings.some((f) => f.rule === 'unreadable-file' && f.file === '.env.backup'));
  });

  it('writes SARIF 2.1.0 that validates against the schema', async () => {
    const dir = copyFixture('canary');
    const r = await cli(['scan', '--format', 'sarif', '--fail-on', 'never'], dir);
    const log = JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }> }> };
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false, logger: false });
    const validate = ajv.compile(sarifSchema);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const result = log.runs[0]?.results.find((x) => x.ruleId === 'no-equals');
    assert.deepEqual(result?.locations[0]?.physicalLocation.artifactLocation, { uri: '.env', uriBaseId: '%SRCROOT%' });
    // The check can fail: a corrupted log does not validate.
    (log.runs[0]?.results[0] as unknown as { level: string }).level = 'fatal';
    assert.equal(validate(log), false);
  });
});

describe('rekey parse', () => {
  it('prints entries and problems as JSON, values only with --reveal', async () => {
    const dir = copyFixture('canary');
    const plain = await cli(['parse', '.env', '--format', 'json'], dir);
    assert.equal(plain.code, 0);
    const out = JSON.parse(plain.stdout) as { file: string; entries: Array<Record<string, unknown>>; problems: Array<Record<string, unknown>> };
    assert.equal(out.file, '.env');
    assert.ok(out.entries.every((e) => !('value' in e)));
    assert.ok(out.problems.some((p) => p.code === 'no-equals' && p.line === 16 && p.column === 1));
    const revealed = JSON.parse((await cli(['parse', '.env', '--format', 'json', '--reveal'], dir)).stdout) as typeof out;
    assert.equal(revealed.entries.find((e) => e.key === 'POSTGRES_PASSWORD')?.value, 'CANARY7f3a9c1e5bpw');
  });

  it('fails with exit 2 and one line on a missing or binary file', async () => {
    const dir = copyFixture('canary');
    writeFileSync(path.join(dir, '.env.bin'), Buffer.from([0, 1, 2]));
    for (const f of ['missing.env', '.env.bin']) {
      const r = await cli(['parse', f], dir);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
  });
});
