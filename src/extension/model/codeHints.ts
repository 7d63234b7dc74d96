import { performance } from 'node:perf_hooks';
import { findAuthSecretHints, type AuthSecretHint } from '../../core/consumers/authSecretHints';
import type { Logger } from '../../core/log';
import { findConsumers, type ConsumerScan } from '../../core/rotation/consumers';

/** How long a consumer scan is reused without a watcher event saying the sources changed. */
export const CONSUMERS_MAX_AGE_MS = 5_000;

export interface CodeHintsOptions {
  logger: Logger;
  /** Workspace trust: git may list files only when trusted. */
  trusted: () => boolean;
  /** Called when a folder's hints changed after its first computation (its files need a new fast pass). */
  onHintsChanged: (key: string) => void;
  /** Injectable for tests; default the core functions. */
  findHints?: typeof findAuthSecretHints;
  findConsumers?: typeof findConsumers;
  /** Clock for the consumer cache (ms). */
  now?: () => number;
}

interface FolderHints {
  hints: Map<string, AuthSecretHint>;
  computed: boolean;
  /** The running (or last) computation. */
  run?: Promise<void>;
  /** Consumer scans per file and key, with when they started. */
  consumers: Map<string, { scan: Promise<ConsumerScan | undefined>; at: number }>;
}

/** What `consumersOf` needs of a cancellation token (a `vscode.CancellationToken` is one). */
export interface Cancellation {
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/**
 * What the folder's code says about its keys, per file group: kind hints (a key handed to an
 * auth library's secret option is a session secret) and consumer scans (where a key is read).
 * Both read source files, so both are cached until source files change. Uses no VS Code API.
 */
export class CodeHints {
  private readonly folders = new Map<string, FolderHints>();
  private readonly findHints: typeof findAuthSecretHints;
  private readonly findConsumers: typeof findConsumers;
  private readonly now: () => number;

  constructor(private readonly options: CodeHintsOptions) {
    this.findHints = options.findHints ?? findAuthSecretHints;
    this.findConsumers = options.findConsumers ?? findConsumers;
    this.now = options.now ?? Date.now;
  }

  /** The last computed hints of the group (empty until the first computation ends). */
  hintsOf(key: string): Map<string, AuthSecretHint> {
    return this.folders.get(key)?.hints ?? new Map<string, AuthSecretHint>();
  }

  /** The first analyses wait for kind hints; later ones use the last hints while new ones are computed. */
  async ensure(key: string, root: string): Promise<void> {
    const f = this.folder(key);
    if (f.computed) return;
    f.run ??= this.compute(key, root);
    await f.run;
  }

  /** Computes the group's hints again (source files changed, trust granted). */
  refresh(key: string, root: string): Promise<void> {
    const f = this.folder(key);
    f.run = this.compute(key, root);
    return f.run;
  }

  /** Source files of the group changed: its consumer scans are dropped (hints are refreshed by the caller). */
  invalidate(key: string): void {
    this.folders.get(key)?.consumers.clear();
  }

  forget(key: string): void {
    this.folders.delete(key);
  }

  /**
   * Where `key` of `envFile` is read across the group's folder. Cached per file and key;
   * watchers can drop or delay events (large trees, busy machines), so an entry is trusted only
   * for `CONSUMERS_MAX_AGE_MS` too. Cancelling `token` stops waiting, not the shared scan.
   */
  consumersOf(groupKey: string, root: string, envFile: string, key: string, token?: Cancellation): Promise<ConsumerScan | undefined> {
    const folder = this.folder(groupKey);
    const id = `${envFile}\0${key}`;
    const cached = folder.consumers.get(id);
    let p = cached && this.now() - cached.at < CONSUMERS_MAX_AGE_MS ? cached.scan : undefined;
    if (!p) {
      const ac = new AbortController();
      const { logger } = this.options;
      p = this.findConsumers({ workspaceRoot: root, key, envFile, trusted: this.options.trusted(), signal: ac.signal, logger }).catch((err: unknown) => {
        folder.consumers.delete(id);
        if (!ac.signal.aborted) logger.warn(`consumer scan for ${key} failed: ${(err as Error).message}`);
        return undefined;
      });
      folder.consumers.set(id, { scan: p, at: this.now() });
    }
    if (!token) return p;
    const listeners: Array<{ dispose(): void }> = [];
    const cancelled = new Promise<undefined>((resolve) => {
      listeners.push(token.onCancellationRequested(() => resolve(undefined)));
    });
    return Promise.race([p, cancelled]).finally(() => {
      for (const l of listeners) l.dispose();
    });
  }

  private folder(key: string): FolderHints {
    let f = this.folders.get(key);
    if (!f) {
      f = { hints: new Map(), computed: false, consumers: new Map() };
      this.folders.set(key, f);
    }
    return f;
  }

  private async compute(key: string, root: string): Promise<void> {
    const f = this.folder(key);
    const started = performance.now();
    const { logger } = this.options;
    try {
      const hints = await this.findHints(root, { trusted: this.options.trusted(), logger });
      const changed = !sameHints(f.hints, hints);
      const first = !f.computed;
      f.hints = hints;
      f.computed = true;
      logger.debug(`${root}: ${hints.size} kind hint(s) from the code in ${Math.round(performance.now() - started)} ms`);
      if (changed && !first && this.folders.get(key) === f) this.options.onHintsChanged(key);
    } catch (err) {
      f.computed = true;
      logger.warn(`kind hints from the code unavailable: ${(err as Error).message}`);
    }
  }
}

function sameHints(a: ReadonlyMap<string, { kind: string }>, b: ReadonlyMap<string, { kind: string }>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k)?.kind !== v.kind) return false;
  return true;
}
