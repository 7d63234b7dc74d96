import type { AuthSecretHint } from '../consumers/authSecretHints';
import type { ParsedEnv } from '../env/types';
import type { ReadFailure } from '../fs/readTextFile';
import type { Logger } from '../log';
import type { EnvFileRole } from '../workspace/envFileNames';
import type { Finding } from './finding';

/*
 * The types every rule family shares: what a scan read, the options it ran with and the
 * provider interface. They sit here, below the families, so that a family never imports the
 * pipeline (core/analysis) that runs it.
 */

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

/**
 * Settings of the rule families, one optional slot per family. Each family declares its own slot
 * next to its code (`declare module '../findings/scanContext' { interface ScanSettings { ... } }`),
 * so every slot is typed by the module that reads it, values arrive as typed (a function stays a
 * function) and this leaf module imports none of the families.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ScanSettings {}

export interface ScanOptions {
  /** Size cap per file in bytes (default 1 MiB). */
  maxBytes?: number;
  /**
   * Whether programs such as git may run with the repository's own configuration. The CLI runs
   * on the user's own command and passes true; the extension passes VS Code's workspace trust.
   */
  trusted?: boolean;
  /**
   * Git checks are left to a later pass that runs them (the editor's fast pass, followed by its
   * git pass): rules skip them as when untrusted, but must not report that trust was missing.
   */
  gitDeferred?: boolean;
  /** Rule-family settings (history, backups, kinds...), one typed slot per family. */
  settings?: ScanSettings;
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
  /** Rule providers that threw: their findings are missing, so the scan is incomplete. */
  failures?: Array<{ provider: string; message: string }>;
  /** Folders that could not be read (e.g. `EACCES`): their files were not checked. */
  skipped?: Array<{ path: string; reason: string }>;
}
