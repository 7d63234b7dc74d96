import * as path from 'node:path';
import { compareFindings, type Finding } from '../findings/finding';
import type { RuleProvider, ScanContext, ScanOptions, ScanResult } from '../findings/scanContext';
import { loadScanFile } from '../findings/scanFile';
import { silentLogger } from '../log';
import { findEnvFiles } from '../workspace/findEnvFiles';
import { kindHintsForRoots } from '../detect/scanKindHints';

/**
 * Scans `.env`-family files under each root and runs the rule providers over them.
 * Missing roots are the caller's concern (check before calling); unreadable files become findings.
 */
export async function scanPaths(roots: string[], providers: RuleProvider[], options: ScanOptions = {}): Promise<ScanResult> {
  const absRoots = roots.map((r) => path.resolve(r));
  const logger = options.logger ?? silentLogger;
  // The code's kind hints (a `git grep` and a few reads) are found while the walk runs.
  const hints = options.kindHints ? undefined : kindHintsForRoots(absRoots, { trusted: options.trusted === true, logger, ...(options.signal ? { signal: options.signal } : {}) });
  hints?.catch(() => undefined);
  const seen = new Set<string>();
  const paths: string[] = [];
  const skipped: Array<{ path: string; reason: string }> = [];
  for (const root of absRoots) {
    for (const f of await findEnvFiles(root, { signal: options.signal, onSkipped: (dir, reason) => skipped.push({ path: dir, reason }) })) {
      if (!seen.has(f)) {
        seen.add(f);
        paths.push(f);
      }
    }
  }
  const files = await Promise.all(paths.map((p) => loadScanFile(p, options.maxBytes)));
  const withHints = hints ? { ...options, kindHints: await hints } : options;
  const result = await runProviders({ files, roots: absRoots, options: withHints, logger, signal: options.signal }, providers);
  return skipped.length > 0 ? { ...result, skipped } : result;
}

/** Runs providers over already-loaded files (used by the CLI and the extension alike). */
export async function runProviders(ctx: ScanContext, providers: RuleProvider[]): Promise<ScanResult> {
  const findings: Finding[] = [];
  const failures: Array<{ provider: string; message: string }> = [];
  ctx.signal?.throwIfAborted();
  // Every family starts at once: one's git commands (history, ages) then run while another's
  // detection or reads use the CPU, instead of each family waiting for the one before it.
  // Findings and failures are still taken in the providers' order.
  const runs = providers.map(async (provider) => provider.run(ctx));
  for (const run of runs) run.catch(() => undefined);
  for (const [i, provider] of providers.entries()) {
    try {
      // A loop, not push(...found): spreading 100k+ findings overflows the call stack.
      for (const f of await (runs[i] as Promise<Finding[]>)) findings.push(f);
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      // One failing family of rules must not hide the others' findings; the caller is told.
      const message = ((err as Error).message ?? String(err)).split('\n')[0] ?? '';
      failures.push({ provider: provider.id, message });
      ctx.logger.error(`rule provider ${provider.id} failed: ${message}`);
    }
  }
  findings.sort(compareFindings);
  return failures.length > 0 ? { files: ctx.files, findings, failures } : { files: ctx.files, findings };
}
