import type { ScanContext } from '../findings/scanContext';
import type { Logger } from '../log';
import { findAuthSecretHints, type AuthSecretHint } from '../consumers/authSecretHints';

const memo = new WeakMap<ScanContext, Promise<Map<string, AuthSecretHint>>>();

/**
 * Kind hints from the code under each of `roots`, merged: the first root's use of a key wins. A
 * root whose scan fails is logged and skipped (its hints only refine kinds); an abort rejects.
 */
export async function kindHintsForRoots(roots: readonly string[], options: { trusted: boolean; logger: Logger; signal?: AbortSignal }): Promise<Map<string, AuthSecretHint>> {
  const merged = new Map<string, AuthSecretHint>();
  for (const root of roots) {
    try {
      const hints = await findAuthSecretHints(root, { trusted: options.trusted, logger: options.logger, ...(options.signal ? { signal: options.signal } : {}) });
      for (const [k, v] of hints) if (!merged.has(k)) merged.set(k, v);
    } catch (err) {
      if (options.signal?.aborted) throw err;
      options.logger.warn(`consumer scan of ${root} failed: ${(err as Error).message}`);
    }
  }
  return merged;
}

/**
 * Kind hints from the workspace's code for one scan, computed once per scan however many rule
 * providers ask (the scan of source files is the expensive part), or `options.kindHints` when
 * the caller computed them already. Hints from every root are merged; the first root's use of a
 * key wins.
 */
export function kindHintsForScan(ctx: ScanContext): Promise<Map<string, AuthSecretHint>> {
  let p = memo.get(ctx);
  const given = ctx.options.kindHints;
  if (!p && given) {
    p = Promise.resolve(new Map(given));
    memo.set(ctx, p);
  }
  if (!p) {
    p = kindHintsForRoots(ctx.roots, { trusted: ctx.options.trusted === true, logger: ctx.logger, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    memo.set(ctx, p);
  }
  return p;
}
