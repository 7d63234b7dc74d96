import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

// The bench's renderers are plain ES modules; load them as `npm run bench` does.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped .mjs modules
async function load(name: string): Promise<any> {
  return import(pathToFileURL(path.resolve(__dirname, '../../../bench/lib', name)).href);
}

describe('bench table and JSON', () => {
  const st = { n: 7, median: 1234.5, q1: 1200, q3: 1300, min: 1100, max: 1500 };

  it('renders one Markdown table with the six columns, a met verdict and skipped rows', async () => {
    const { renderTable, skippedRow, timeCell } = await load('table.mjs');
    assert.equal(timeCell(st), '1.23 s (1.10–1.50)');
    assert.equal(timeCell({ ...st, median: 42.25, min: 40, max: 150 }), '42.3 ms (40.0–150)');
    const rows = [
      { group: 'history', work: 'rekey history, 1k', rekey: { text: timeCell(st) }, reference: { text: 'floor 1.00 s' }, ratio: 1.2345, goal: '≤ 1.2× floor', met: false },
      skippedRow('scan', 'rekey scan', 'not installed (secretlint)', '≤ 0.5× secretlint'),
    ];
    const lines = renderTable(rows).split('\n');
    assert.equal(lines.length, 4);
    assert.deepEqual(lines[0]!.split('|').map((c: string) => c.trim()).filter(Boolean), ['work', 'rekey', 'floor / peer', 'ratio', 'goal', 'met']);
    assert.match(lines[2], /\| rekey history, 1k +\| 1\.23 s \(1\.10–1\.50\) +\| floor 1\.00 s +\| 1\.23× +\| ≤ 1\.2× floor +\| NO +\|/);
    assert.match(lines[3], /skipped: not installed \(secretlint\)/);
    const width = lines[0]!.length;
    for (const l of lines) assert.equal(l.length, width, 'columns are aligned');
  });

  it('writes the same rows as JSON with the machine and no rendering left in numbers', async () => {
    const { resultsJson, renderMachine } = await load('table.mjs');
    const machine = { cpus: 2, cpuModel: 'x', memGiB: 4, platform: 'linux', node: 'v20', git: 'git version 2.39', loadStart: [1, 2, 3], loadEnd: [0.5, 1, 1.5], runs: 7, quick: false };
    assert.match(renderMachine(machine), /2 × x.*at start 1\.00 2\.00 3\.00, at end 0\.50 1\.00 1\.50; 7 runs/);
    const json = JSON.parse(JSON.stringify(resultsJson(machine, [{ group: 'hook', work: 'hook', rekey: { text: 't', ...st }, reference: null, ratio: 1.5, goal: 'g', met: true }])));
    assert.equal(json.version, 1);
    assert.deepEqual(json.machine.loadEnd, [0.5, 1, 1.5]);
    assert.equal(json.rows[0].rekey.median, 1234.5);
    assert.equal(json.rows[0].met, true);
    assert.equal(json.rows[0].skipped, undefined);
  });

  it('measures a command whole-process: wall, children CPU and exit code', async () => {
    const { runOnce, stats } = await load('measure.mjs');
    const r = await runOnce(`${JSON.stringify(process.execPath)} -e "let x=0; for (let i=0;i<3e7;i++) x+=i; process.exit(3)"`);
    assert.equal(r.code, 3);
    assert.ok(r.cpuMs > 0, `children CPU is read (${r.cpuMs})`);
    assert.ok(r.wallMs > 0);
    assert.deepEqual(stats([5, 1, 3, 2, 4]), { n: 5, median: 3, q1: 2, q3: 4, min: 1, max: 5 });
  });
});
