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
 * A family of rules. Providers are independent so each issue's rules live in their own module;
 * they must return value-free findings and may skip work they cannot do (say so through the logger).
 */
export interface RuleProvider {
  id: string;
  run(ctx: ScanContext): Promise<Finding[]> | Finding[];
}

export interface ScanResult {
  files: ScanFile[];
  findings: Finding[];
  /** Rule providers that threw: their findings are missing, so the scan is incomplete. */
  failures?: Array<{ provider: string; message: string }>;
  /** Folders that could not be read (e.g. `EACCES`): their files were not checked. */
  skipped?: Array<{ path: string; reason: string }>;
}

/** Reads and parses one file into a {@link ScanFile}; never throws. */
export async function loadScanFile(file: string, maxBytes = DEFAULT_MAX_BYTES): Promise<ScanFile> {
  const role = classifyEnvFileName(file) ?? 'env';
  const read = await readEnvFile(file, maxBytes);
  if (!read.ok) return { path: file, role, error: { reason: read.reason, message: read.message } };
  return { path: file, role, text: read.text, parsed: parseEnv(read.text), mtimeMs: read.mtimeMs, mode: read.mode };
}

/** Builds a ScanFile from text already in memory (an editor buffer). */
export function scanFileFromText(file: string, text: string, extra: Partial<ScanFile> = {}): ScanFile {
  return { path: file, role: classifyEnvFileName(file) ?? 'env', text, parsed: parseEnv(text), ...extra };
}

/**
 * Scans `.env`-family files under each root and runs the rule providers over them.
 * Missing roots are the caller's concern (check before calling); unreadable files become findings.
 */
export async function scanPaths(roots: string[], providers: RuleProvider[], options: ScanOptions = {}): Promise<ScanResult> {
  const absRoots = roots.map((r) => path.resolve(r));
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
  const result = await runProviders({ files, roots: absRoots, options, logger: options.logger ?? silentLogger, signal: options.signal }, providers);
  return skipped.length > 0 ? { ...result, skipped } : result;
}

/** Runs providers over already-loaded files (used by the CLI and the extension alike). */
export async function runProviders(ctx: ScanContext, providers: RuleProvider[]): Promise<ScanResult> {
  const findings: Finding[] = [];
  const failures: Array<{ provider: string; message: string }> = [];
  for (const provider of providers) {
    ctx.signal?.throwIfAborted();
    try {
      // A loop, not push(...found): spreading 100k+ findings overflows the call stack.
      for (const f of await provider.run(ctx)) findings.push(f);
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
