import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runProviders } from '../../../src/core/analysis/scan';
import type { RuleProvider, ScanContext } from '../../../src/core/findings/scanContext';
import { silentLogger } from '../../../src/core/log';
import { cli } from '../../helpers/cli';
import { cliBundle } from '../core/hook/hookTestRepo';

/*
 * Failures that used to pass as success: a scan that lost findings, folders skipped in silence,
 * arguments echoed back with their secret, file names that break out of their line or URI.
 */

const SECRET = 'Zq8Wv3Lk9Rt2Xp7Mn4Bc6Hd1Jf5Gs0Ya';
const made: string[] = [];
function tempDir(): string {
  const d = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rekey-failures-')));
  made.push(d);
  return d;
}

describe('failures are reported, never passed off as success', function () {
  this.timeout(120_000);
  after(() => {
    for (const d of made.splice(0)) {
      spawnSync('chmod', ['-R', 'u+rwx', d]);
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a rule provider that throws is a failure the caller sees, and the others still run', async () => {
    const ok: RuleProvider = { id: 'ok', run: () => [{ file: '/x/.env', rule: 'no-equals', severity: 'warning', message: 'm', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }] as never };
    const bad: RuleProvider = { id: 'bad', run: () => { throw new Error('boom\nsecond line'); } };
    const ctx: ScanContext = { files: [], roots: [], options: {}, logger: silentLogger };
    const r = await runProviders(ctx, [bad, ok]);
    assert.deepEqual(r.failures, [{ provider: 'bad', message: 'boom' }]);
    assert.equal(r.findings.length, 1);
  });

  it('130,000 findings do not overflow the stack (no spread of unbounded arrays)', async () => {
    const dir = tempDir();
    // Every line after the first redefines A: one duplicate-key finding each.
    writeFileSync(path.join(dir, '.env'), 'A=1\n'.repeat(130_000));
    const r = await cli(['scan', '--format', 'json', '--fail-on', 'info'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /call stack/);
    const out = JSON.parse(r.stdout) as { findings: unknown[] };
    assert.ok(out.findings.length >= 129_999, `${out.findings.length} findings`);
  });

  it('an unreadable folder and file are reported, also when the tests run as root', () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, '.env'), `AUTH_SECRET=${SECRET}\n`, { mode: 0o644 });
    writeFileSync(path.join(dir, '.env.backup'), `AUTH_SECRET=${SECRET}\n`, { mode: 0o000 });
    mkdirSync(path.join(dir, 'locked'), { mode: 0o700 });
    writeFileSync(path.join(dir, 'locked', '.env'), `AUTH_SECRET=${SECRET}\n`);
    chmodSync(path.join(dir, 'locked'), 0o000);
    const bundle = cliBundle();
    // Root reads everything: run the shipped CLI as `nobody` then (setpriv drops every privilege).
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      for (let d = path.dirname(bundle); d !== path.dirname(d); d = path.dirname(d)) chmodSync(d, 0o755);
    }
    const argv = [process.execPath, bundle, 'scan', '--format', 'json', '--fail-on', 'never', dir];
    const r = asRoot
      ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...argv], { encoding: 'utf8', env: { ...process.env, HOME: dir } })
      : spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { findings: Array<{ rule: string; file: string }> };
    assert.ok(out.findings.some((f) => f.rule === 'unreadable-file' && f.file.endsWith('.env.backup')), r.stdout.slice(0, 500));
    assert.match(r.stderr, /rekey: not scanned: .*locked\/ \(permission denied\)/);
  });

  it("never echoes an argument that looks like an assignment or a secret", async () => {
    const dir = tempDir();
    for (const argv of [[`AUTH_SECRET=${SECRET}`], [SECRET], ['scan', `--AUTH_SECRET=${SECRET}`], ['scan', '--format', SECRET], ['scan', '--max-bytes', SECRET]]) {
      const r = await cli(argv, dir);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.includes(SECRET) || r.stdout.includes(SECRET), false, `${argv[0]}: ${r.stderr}`);
      assert.equal(r.stderr.includes('AUTH_SECRET'), false, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    assert.match((await cli(['bogus'], dir)).stderr, /unknown command 'bogus'/, 'a plain word is still named');
  });

  it('SARIF URIs percent-encode reserved characters; text output escapes control characters', async () => {
    const dir = tempDir();
    for (const name of ['a#b.env', 'c?d.env', 'e%f.env', 'g h.env', 'x\ny.env']) writeFileSync(path.join(dir, name), 'NOEQUALS\n');
    const sarif = JSON.parse((await cli(['scan', '--format', 'sarif', '--fail-on', 'never'], dir)).stdout) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    const uris = new Set(sarif.runs[0]?.results.map((x) => x.locations[0]?.physicalLocation.artifactLocation.uri));
    // RFC 3986: `#` starts a fragment and `?` a query; `%` and spaces must be escaped too.
    for (const uri of ['a%23b.env', 'c%3Fd.env', 'e%25f.env', 'g%20h.env', 'x%0Ay.env']) assert.ok(uris.has(uri), `${uri} in ${[...uris].join(' ')}`);
    const text = (await cli(['scan', '--fail-on', 'never'], dir)).stdout;
    assert.match(text, /^x\\ny\.env:1:1 /m, 'the newline is shown as \\n');
    assert.doesNotMatch(text, /^y\.env/m, 'no forged line');
  });
});
