import * as path from 'node:path';
import type { AuthSecretHint } from '../consumers/authSecretHints';
import { parseEnv } from '../env/parse';
import type { ParsedEnv } from '../env/types';
import { compareFindings, type Finding } from '../findings/finding';
import { DEFAULT_MAX_BYTES, readEnvFile, type ReadFailure } from '../fs/readTextFile';
import { silentLogger, type Logger } from '../log';
import { classifyEnvFileName, type EnvFileRole } from '../workspace/envFileNames';
import { findEnvFiles } from '../workspace/findEnvFiles';

/** A `.env`-family file as the scan saw it. `text` is secret material: never print it. */
export interface ScanFile {
  /** Absolute path. */
  path: string;
  role: EnvFileRole;
  text?: string;
  parsed?: ParsedEnv;
  mtimeMs?: number;
  /** POSIX mode bits (for permission checks). */
  mode?: number;
  error?: { reason: ReadFailure; message: string };
}

export interface ScanOptions {
  /** Size cap per file in bytes (default 1 MiB). */
  maxBytes?: number;
  /**
   * Whether programs such as git may run with the repository's own configuration. The CLI runs
   * on the user's own command and passes true; the extension passes VS Code's workspace trust.
   */
  trusted?: boolean;
  /** Rule-specific settings (history, backups, kinds...), keyed by the rule provider's id. */
  settings?: Record<string, unknown>;
  /** "Now" for age computations; injectable for tests. */
  now?: Date;
  logger?: Logger;
  signal?: AbortSignal;
  /**
   * Kind hints from the workspace's code, already computed: the extension caches them across
   * its scans (one per edit) and recomputes them only when source files change.
   */
  kindHints?: ReadonlyMap<string, AuthSecretHint>;
}

/** What rule providers receive: every file already read and parsed once. */
export interface ScanContext {
  files: ScanFile[];
  /** The absolute roots that were scanned (folders or files). */
  roots: string[];
  options: ScanOptions;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * A family of rules. Providers are independent, each family in its own module;
 * they must return value-free findings and may skip work they cannot do (say so through the logger).
 */
export interface RuleProvider {
  id: string;
  run(ctx: ScanContext): Promise<Finding[]> | Finding[];
}

export interface ScanResult {
  files: ScanFile[];
  findings: Finding[];
}

/** Reads and parses one file into a {@link ScanFile}; never throws. */
export async function loadScanFile(file: string, maxBytes = DEFAULT_MAX_BYTES): Promise<ScanFile> {
  const role = classifyEnvFileName(file) ?? 'env';
  const read = await readEnvFile(file, maxBytes);
  if (!read.ok) return { path: file, role, error: { reason: read.reason, message: read.message } };
  return { path: file, role, text: read.text, parsed: parseEnv(read.text), mtimeMs: read.mtimeMs, mode: read.mode };
}

/**
 * Scans `.env`-family files under each root and runs the rule providers over them.
 * Missing roots are the caller's concern (check before calling); unreadable files become findings.
 */
export async function scanPaths(roots: string[], providers: RuleProvider[], options: ScanOptions = {}): Promise<ScanResult> {
  const absRoots = roots.map((r) => path.resolve(r));
  const seen = new Set<string>();
  const paths: string[] = [];
  for (const root of absRoots) {
    for (const f of await findEnvFiles(root, { signal: options.signal })) {
      if (!seen.has(f)) {
        seen.add(f);
        paths.push(f);
      }
    }
  }
  const files = await Promise.all(paths.map((p) => loadScanFile(p, options.maxBytes)));
  return runProviders({ files, roots: absRoots, options, logger: options.logger ?? silentLogger, signal: options.signal }, providers);
}

/** Runs providers over already-loaded files (used by the CLI and the extension alike). */
export async function runProviders(ctx: ScanContext, providers: RuleProvider[]): Promise<ScanResult> {
  const findings: Finding[] = [];
  for (const provider of providers) {
    ctx.signal?.throwIfAborted();
    try {
      findings.push(...(await provider.run(ctx)));
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      // One failing family of rules must not hide the others' findings.
      ctx.logger.error(`rule provider ${provider.id} failed: ${(err as Error).message}`);
    }
  }
  findings.sort(compareFindings);
  return { files: ctx.files, findings };
}
