import type { EnvFileRole } from '../workspace/envFileNames';

/*
 * What a hook found, as data. Value-free by construction: findings name files, lines, keys,
 * kinds, providers and commits, never the text of a line or a value.
 */

export type HookName = 'pre-commit' | 'pre-push';

export type HookFindingType =
  /** A `.env`-family file (live, backup or template) holding secrets is being committed or pushed. */
  | 'env-file'
  /** A line being added anywhere contains the exact value of a secret from the work tree's `.env` files. */
  | 'known-value'
  /** A line being added holds a token in a provider's format (not a known value). */
  | 'token-format'
  /** A `.env`-family file being committed could not be checked (binary, too large, unreadable). */
  | 'unchecked';

export type HookSeverity = 'error' | 'warning';

export interface HookFinding {
  type: HookFindingType;
  /** `error` blocks the commit or push. */
  severity: HookSeverity;
  /** Repository-relative `/` path in the snapshot or commit. */
  path: string;
  /** 1-based line in that version of the file, when known. */
  line?: number;
  /** The commit that adds it (pre-push). */
  commit?: string;
  /** env-file: the key holding the secret; known-value: the key of the work-tree secret. */
  key?: string;
  /** Kind of secret (catalog id). */
  kind?: string;
  /** env-file and unchecked: the file's role in the `.env` family. */
  role?: EnvFileRole;
  /** known-value: the work-tree `.env` file the value comes from, and the entry's line there. */
  source?: { file: string; line: number };
  /** token-format: provider rule id and label (`github-pat`, `GitHub personal access token`). */
  provider?: string;
  label?: string;
  /** unchecked: why. */
  reason?: string;
  /** How many more places (commits, lines) show the same thing; only the first is listed. */
  more?: number;
}

export interface HookReport {
  hook: HookName;
  /** True when at least one finding is an error: the hook exits 1. */
  blocked: boolean;
  findings: HookFinding[];
  /** Files in the staged diff (pre-commit) or in the outgoing commits' patches (pre-push). */
  files: number;
  /** Outgoing commits read (pre-push). */
  commits: number;
  /** Work-tree secrets whose values were searched for. */
  knownSecrets: number;
  /** Non-fatal problems worth a line (an invalid `.rekey.json`...). Value-free. */
  notes: string[];
}

/** Severity order, then path, line and type: the order findings are printed in. */
export function sortFindings(findings: HookFinding[]): HookFinding[] {
  const rank: Record<HookSeverity, number> = { error: 0, warning: 1 };
  return findings.sort(
    (a, b) =>
      rank[a.severity] - rank[b.severity] ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.type < b.type ? -1 : a.type > b.type ? 1 : 0),
  );
}
