// Measurements for `npm run bench:activation` (bench/activation.mjs runs this suite alone with
// REKEY_BENCH=1 and reads the REKEY_BENCH line). Skipped in ordinary test runs.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { closeAll, fileUri, openEditor, rekeyApi, rekeyDiagnostics, codeOf, waitFor } from './support/rekey';

const LINES = 1000;

function bigEnv(): string {
  const out = ['# 1,000-line benchmark file (canary values only)'];
  for (let i = 1; out.length < LINES; i++) {
    if (i % 10 === 0) out.push(`SERVICE_${i}_API_TOKEN=REKEY_CANARY_7f3a9c1e5b_${i.toString(36)}_q8W2e4R6t8Y0u2I4`);
    else if (i % 25 === 0) out.push(`# section ${i}`);
    else out.push(`SETTING_${i}=value-${i}`);
  }
  return out.join('\n') + '\n';
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

describe('bench', function () {
  this.timeout(180_000);
  before(function () {
    if (process.env.REKEY_BENCH !== '1') this.skip();
  });
  afterEach(closeAll);

  it('activation and edit-to-diagnostics on a 1,000-line .env', async () => {
    const api = await rekeyApi();
    const debounceMs = vscode.workspace.getConfiguration('rekey').get<number>('diagnostics.debounceMs', 200);
    const dir = fileUri('bench1000');
    const uri = fileUri('bench1000', '.env');
    await fs.mkdir(dir.fsPath, { recursive: true });
    await fs.writeFile(uri.fsPath, bigEnv());
    const editor = await openEditor(uri);
    await waitFor(() => rekeyDiagnostics(uri).filter((d) => codeOf(d) === 'secret').length >= 90, 'diagnostics of the big file');
    await api.whenIdle();

    const samples: number[] = [];
    const internal: number[] = [];
    const extensionSide: number[] = [];
    for (let i = 0; i < 25; i++) {
      const line = 100 + i * 30;
      const broken = i % 2 === 0;
      const seen = new Promise<number>((resolve) => {
        const sub = vscode.languages.onDidChangeDiagnostics((e) => {
          if (!e.uris.some((u) => u.toString() === uri.toString())) return;
          const has = rekeyDiagnostics(uri).some((d) => codeOf(d) === 'no-equals' && d.range.start.line === line);
          if (has === broken) {
            sub.dispose();
            resolve(performance.now());
          }
        });
      });
      const t0 = performance.now();
      const current = editor.document.lineAt(line);
      // Toggle the line between `KEY=value` and `KEY value`: a no-equals diagnostic appears or goes.
      const next = broken ? current.text.replace('=', ' ') : current.text.replace(' ', '=');
      assert.ok(await editor.edit((b) => b.replace(current.range, next)));
      const t1 = await seen;
      samples.push(t1 - t0 - debounceMs);
      await api.whenIdle();
      const pass = api.stats().filter((t) => t.kind === 'fast' && t.reason === 'edit' && t.requestedAt !== undefined).at(-1);
      if (pass) {
        internal.push(pass.finishedAt - pass.startedAt);
        extensionSide.push((pass.publishedAt ?? pass.finishedAt) - pass.requestedAt! - pass.debounceMs);
      }
    }
    samples.sort((a, b) => a - b);
    internal.sort((a, b) => a - b);
    extensionSide.sort((a, b) => a - b);
    const gitPasses = api.stats().filter((t) => t.kind === 'git').map((t) => t.finishedAt - t.startedAt);
    const result = {
      activationMs: Number(api.activationMs.toFixed(2)),
      activationPhases: api.activationPhases,
      debounceMs,
      lines: editor.document.lineCount,
      changeToPublishedAfterDebounceMs: { median: Number(quantile(extensionSide, 0.5).toFixed(1)), p95: Number(quantile(extensionSide, 0.95).toFixed(1)), max: Number(extensionSide.at(-1)!.toFixed(1)), n: extensionSide.length },
      editToDiagnosticsAfterDebounceMs: { median: Number(quantile(samples, 0.5).toFixed(1)), p95: Number(quantile(samples, 0.95).toFixed(1)), max: Number(samples.at(-1)!.toFixed(1)), n: samples.length },
      fastPassMs: { median: Number(quantile(internal, 0.5).toFixed(1)), p95: Number(quantile(internal, 0.95).toFixed(1)) },
      gitPassMs: gitPasses.map((x) => Number(x.toFixed(0))),
    };
    // The launcher relays this line; bench/activation.mjs parses it.
    // eslint-disable-next-line no-console
    console.log(`REKEY_BENCH ${JSON.stringify(result)}`);
    await fs.rm(dir.fsPath, { recursive: true, force: true });
  });
});
