// Measurements for `npm run bench:activation` (bench/activation.mjs runs this suite alone with
// REKEY_BENCH=1 and reads the REKEY_BENCH line). Skipped in ordinary test runs.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { closeAll, fileUri, openEditor, rekeyApi, rekeyDiagnostics, codeOf, waitFor } from './support/rekey';

const LINES = 1000;
/** The other `.env` files of the bench folder (besides the workspace fixture's own), 1,000 lines each. */
const OTHERS = ['.env.local', '.env.development', '.env.production', '.env.test', '.env.staging', '.env.ci', '.env.preview', '.env.docker', 'worker/.env'];
const SAMPLES = 40;

function bigEnv(tag: string): string {
  const out = [`# 1,000-line benchmark file ${tag} (canary values only)`];
  for (let i = 1; out.length < LINES; i++) {
    if (i % 10 === 0) out.push(`SERVICE_${i}_API_TOKEN=REKEY_CANARY_7f3a9c1e5b_${tag}${i.toString(36)}_q8W2e4R6t8Y0u2I4`);
    else if (i % 25 === 0) out.push(`# section ${i}`);
    else out.push(`SETTING_${i}=value-${i}`);
  }
  return out.join('\n') + '\n';
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function summary(values: number[]): { median: number; p95: number; max: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const r = (x: number) => Number(x.toFixed(1));
  return { median: r(quantile(sorted, 0.5)), p95: r(quantile(sorted, 0.95)), max: r(sorted.at(-1) ?? NaN), n: sorted.length };
}

/**
 * Resolves with performance.now() once `probe` holds, checking every millisecond. Reads the
 * extension host's own copy of the diagnostics (`languages.getDiagnostics`), which a
 * DiagnosticCollection updates synchronously, so the time does not include VS Code's 50 ms
 * batching of `onDidChangeDiagnostics` (that is reported separately).
 */
function whenTrue(probe: () => boolean, timeoutMs = 20_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (probe()) return resolve(performance.now());
      if (performance.now() > deadline) return reject(new Error('diagnostics did not update in time'));
      setTimeout(check, 1);
    };
    check();
  });
}

describe('bench', function () {
  this.timeout(240_000);
  before(function () {
    if (process.env.REKEY_BENCH !== '1') this.skip();
  });
  afterEach(closeAll);

  it('activation and edit-to-diagnostics on a 1,000-line .env with nine other .env files', async () => {
    const api = await rekeyApi();
    const debounceMs = vscode.workspace.getConfiguration('rekey').get<number>('diagnostics.debounceMs', 200);
    const dir = fileUri('bench1000');
    const uri = fileUri('bench1000', '.env');
    await fs.mkdir(path.join(dir.fsPath, 'worker'), { recursive: true });
    try {
      await fs.writeFile(uri.fsPath, bigEnv('a'));
      for (const [i, name] of OTHERS.entries()) await fs.writeFile(path.join(dir.fsPath, name), bigEnv(String.fromCharCode(98 + i)));
      const editor = await openEditor(uri);
      await waitFor(() => rekeyDiagnostics(uri).filter((d) => codeOf(d) === 'secret').length >= 90, 'diagnostics of the big file');
      await waitFor(
        () => OTHERS.every((name) => rekeyDiagnostics(vscode.Uri.file(path.join(dir.fsPath, name))).filter((d) => codeOf(d) === 'secret').length >= 90),
        'diagnostics of the nine other files',
      );
      await api.whenIdle();
      const folderFiles = api.model.files().filter((f) => f.uri.includes('/bench1000/')).length;
      assert.equal(folderFiles, 1 + OTHERS.length, 'the bench folder holds the edited file and nine others');

      // Edit time: from `editor.edit()` (the edit goes to the workbench and comes back as a
      // document change, as a keystroke does) to the edited file's diagnostics in the extension
      // host showing the change, minus the configured debounce.
      const samples: number[] = [];
      const seenByOthers: number[] = [];
      const internal: number[] = [];
      const publish: number[] = [];
      const extensionSide: number[] = [];
      const analysed: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        // Each line is broken by one sample and mended by the next, so every edit changes the text.
        const line = 100 + Math.floor(i / 2) * 30;
        const broken = i % 2 === 0;
        const matches = () => rekeyDiagnostics(uri).some((d) => codeOf(d) === 'no-equals' && d.range.start.line === line) === broken;
        const event = new Promise<number>((resolve) => {
          const sub = vscode.languages.onDidChangeDiagnostics((e) => {
            if (!e.uris.some((u) => u.toString() === uri.toString()) || !matches()) return;
            sub.dispose();
            resolve(performance.now());
          });
        });
        const current = editor.document.lineAt(line);
        // Toggle the line between `KEY=value` and `KEY value`: a no-equals diagnostic appears or goes.
        const next = broken ? current.text.replace('=', ' ') : current.text.replace(' ', '=');
        const t0 = performance.now();
        const updated = whenTrue(matches);
        assert.ok(await editor.edit((b) => b.replace(current.range, next)));
        samples.push((await updated) - t0 - debounceMs);
        seenByOthers.push((await event) - t0 - debounceMs);
        await api.whenIdle();
        const pass = api.stats().filter((t) => t.kind === 'fast' && t.reason === 'edit' && t.requestedAt !== undefined).at(-1);
        if (pass) {
          internal.push(pass.finishedAt - pass.startedAt);
          if (pass.publishedAt !== undefined) publish.push(pass.publishedAt - pass.finishedAt);
          extensionSide.push((pass.publishedAt ?? pass.finishedAt) - pass.requestedAt! - pass.debounceMs);
          if (pass.analysed !== undefined) analysed.push(pass.analysed);
        }
      }
      const gitPasses = api.stats().filter((t) => t.kind === 'git').map((t) => t.finishedAt - t.startedAt);
      const lastPass = api.stats().filter((t) => t.kind === 'fast' && t.reason === 'edit').at(-1);
      const result = {
        activationMs: Number(api.activationMs.toFixed(2)),
        activationPhases: api.activationPhases,
        debounceMs,
        lines: editor.document.lineCount,
        folderFiles,
        groupFiles: lastPass?.files ?? 0,
        groupLines: lastPass?.lines ?? 0,
        filesReanalysedPerEdit: analysed.length ? Math.max(...analysed) : null,
        editToDiagnosticsAfterDebounceMs: summary(samples),
        changeToPublishedAfterDebounceMs: summary(extensionSide),
        seenByOtherExtensionsAfterDebounceMs: summary(seenByOthers),
        fastPassMs: summary(internal),
        publishMs: summary(publish),
        gitPassMs: gitPasses.map((x) => Number(x.toFixed(0))),
      };
      // The launcher relays this line; bench/activation.mjs parses it.
      // eslint-disable-next-line no-console
      console.log(`REKEY_BENCH ${JSON.stringify(result)}`);
    } finally {
      await fs.rm(dir.fsPath, { recursive: true, force: true });
    }
  });
});
