/*
 * Just enough version arithmetic to answer "is this at least X": numeric dotted parts, a
 * leading `v`, and pre-release tags (`5.0.0-beta.25` counts as 5.0.0, which is what matters
 * for features that landed in a beta). Ranges from manifests are reduced to the lowest version
 * they allow, the conservative reading.
 */

/** Numeric parts of a version string (`v11.9.0` → [11, 9, 0]); undefined when it has none. */
export function versionParts(version: string): number[] | undefined {
  const m = /^\s*v?(\d+(?:\.\d+)*)/.exec(version);
  if (!m) return undefined;
  return (m[1] as string).split('.').map(Number);
}

/** Compares two versions by their numeric parts (missing parts count as 0). */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a) ?? [0];
  const pb = versionParts(b) ?? [0];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Whether `version` is `since` or later. */
export function atLeast(version: string, since: string): boolean {
  return compareVersions(version, since) >= 0;
}

/**
 * The lowest version a manifest range allows: `^11.0` → `11.0`, `>=4.1,<5` → `4.1`,
 * `~=3.1.0` → `3.1.0`, `==4.2.7` → `4.2.7`, `7.1.3` → `7.1.3`. Undefined for ranges with no
 * lower bound (`*`, `latest`, a git URL, `<5`).
 */
export function lowestInRange(range: string): string | undefined {
  const first = range.split('||')[0] ?? '';
  for (const part of first.split(/[,\s]+/).filter(Boolean)) {
    if (part.startsWith('<') || part.startsWith('!')) continue;
    const m = /^(?:\^|~=|~|>=|>|===|==|=)?v?(\d+(?:\.\d+)*)/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}
