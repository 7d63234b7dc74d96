import type { EnvEntry } from '../env/types';
import type { Finding } from '../findings/finding';

/**
 * Git findings were computed from the text at the last git pass; while the file is edited, a
 * `leaked-in-history` finding follows its key (the last definition, which dotenv uses) and
 * disappears with it. Other findings (file-level ones, tracking) stay where they are.
 */
export function anchorGitFindings(findings: readonly Finding[], entries: readonly EnvEntry[] | undefined): Finding[] {
  if (findings.length === 0) return [];
  const last = new Map<string, EnvEntry>();
  for (const e of entries ?? []) last.set(e.key, e);
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.rule !== 'leaked-in-history' || f.key === undefined) {
      out.push(f);
      continue;
    }
    const e = last.get(f.key);
    if (e) out.push({ ...f, range: e.keyRange });
  }
  return out;
}
