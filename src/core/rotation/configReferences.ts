import { yaml } from '../vendor/lazy';
import { findShellReferences, keyOccurrences, type KeyReference } from '../consumers/codeReferences';

/*
 * Key references in deployment configuration other than compose files: Dockerfiles, CI
 * workflows, Kubernetes manifests, shell scripts, crontabs and systemd units. Each finder returns
 * offsets and a value-free description; `consumers.ts` turns them into positions and roles.
 */

/** Dockerfile `ENV KEY=…` (a copy baked into the image), `ARG KEY`, and `$KEY`/`${KEY}` uses. */
export function findDockerfileReferences(text: string, key: string): KeyReference[] {
  const out: KeyReference[] = [];
  const seen = new Set<number>();
  const lineRe = /^[ \t]*(ENV|ARG)[ \t]+(.*)$/gim;
  for (const m of text.matchAll(lineRe)) {
    const instr = (m[1] as string).toUpperCase();
    const rest = m[2] as string;
    const restStart = (m.index ?? 0) + (m[0]).length - rest.length;
    for (const at of keyOccurrences(rest, key)) {
      const before = rest.slice(0, at);
      const after = rest[at + key.length];
      // A name position: the first argument, or (ENV only) a later `KEY=value` pair.
      if (!/(^|\s)$/.test(before) || (after !== undefined && !/[=\s]/.test(after))) continue;
      const first = before.trim() === '';
      if (instr === 'ARG' ? !first : !(first || after === '=')) continue;
      seen.add(restStart + at);
      out.push(instr === 'ENV'
        ? { offset: restStart + at, detail: `ENV ${key}=… (baked into the image)`, sets: true }
        : { offset: restStart + at, detail: `ARG ${key} (build argument)` });
    }
  }
  for (const r of findShellReferences(text, key)) if (!seen.has(r.offset)) out.push(r);
  return out.sort((a, b) => a.offset - b.offset);
}

/** GitHub Actions / GitLab CI: `${{ secrets.KEY }}`, `${{ env.KEY }}`, `env:` keys and `$KEY`. */
export function findCiReferences(text: string, key: string): Array<KeyReference & { store?: 'secret' | 'variable' }> {
  const out: Array<KeyReference & { store?: 'secret' | 'variable' }> = [];
  const seen = new Set<number>();
  for (const at of keyOccurrences(text, key)) {
    const before = text.slice(Math.max(0, at - 40), at);
    if (/\$\{\{\s*secrets\.$/.test(before)) {
      out.push({ offset: at, detail: `\${{ secrets.${key} }}`, store: 'secret' });
      seen.add(at);
    } else if (/\$\{\{\s*(env|vars)\.$/.test(before)) {
      out.push({ offset: at, detail: `\${{ ${/vars\.$/.test(before) ? 'vars' : 'env'}.${key} }}`, store: 'variable' });
      seen.add(at);
    } else if (/^[ \t]*-?[ \t]*$/.test(text.slice(text.lastIndexOf('\n', at - 1) + 1, at)) && /^\s*:/.test(text.slice(at + key.length, at + key.length + 4))) {
      out.push({ offset: at, detail: `env: ${key}` });
      seen.add(at);
    }
  }
  for (const r of findShellReferences(text, key)) if (!seen.has(r.offset)) out.push(r);
  // `KEY: ${{ secrets.KEY }}` on one line: the secret store is what matters.
  const lineOf = (o: number): number => text.lastIndexOf('\n', o - 1);
  const secretLines = new Set(out.filter((r) => r.store === 'secret').map((r) => lineOf(r.offset)));
  return out.filter((r) => r.store === 'secret' || !secretLines.has(lineOf(r.offset))).sort((a, b) => a.offset - b.offset);
}

/** A Kubernetes workload a reference belongs to. */
export interface KubernetesWorkload {
  kind: string;
  name: string;
}

/**
 * Kubernetes manifests: `- name: KEY` in a container's `env`, `key: KEY` in a `secretKeyRef` or
 * `configMapKeyRef`, and `$(KEY)` substitutions. Returns the workload (kind and name) of each.
 */
export function findKubernetesReferences(text: string, key: string): Array<KeyReference & { workload?: KubernetesWorkload }> {
  const out: Array<KeyReference & { workload?: KubernetesWorkload }> = [];
  const workloads: Array<{ start: number; end: number; workload: KubernetesWorkload }> = [];
  try {
    for (const doc of yaml().parseAllDocuments(text)) {
      if (!('contents' in doc) || !yaml().isMap(doc.contents) || !doc.range) continue;
      const kind = doc.get('kind');
      const name = doc.getIn(['metadata', 'name']);
      if (typeof kind === 'string' && typeof name === 'string') workloads.push({ start: doc.range[0], end: doc.range[2], workload: { kind, name } });
    }
  } catch {
    // Helm templates and other pre-processed YAML: references are still found, without workload names.
  }
  const workloadAt = (at: number): KubernetesWorkload | undefined => workloads.find((w) => at >= w.start && at < w.end)?.workload;
  for (const at of keyOccurrences(text, key)) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    let lineEnd = text.indexOf('\n', at);
    if (lineEnd === -1) lineEnd = text.length;
    const before = text.slice(lineStart, at);
    const after = text.slice(at + key.length, lineEnd);
    const tail = /^['"]?\s*(#.*)?$/.test(after);
    let detail: string | undefined;
    if (/^\s*-?\s*name:\s*['"]?$/.test(before) && tail) detail = `env: - name: ${key}`;
    else if (/^\s*-?\s*key:\s*['"]?$/.test(before) && tail) detail = `secretKeyRef key: ${key}`;
    else if (before.endsWith('$(') && after.startsWith(')')) detail = `$(${key})`;
    if (!detail) continue;
    const workload = workloadAt(at);
    out.push({ offset: at, detail, ...(workload ? { workload } : {}) });
  }
  return out;
}

/** Whether YAML text looks like a Kubernetes manifest (cheap check before parsing). */
export function looksLikeKubernetes(text: string): boolean {
  // `[ \t]*`, not `\s*`: from every line start `\s*` would run on across the blank lines below,
  // which is quadratic in a file of many of them.
  return /^[ \t]*apiVersion:\s*\S/m.test(text) && /^[ \t]*kind:\s*\S/m.test(text);
}

/**
 * systemd units: `Environment=KEY=…` (a copy of the value in the unit), `EnvironmentFile=`
 * pointing at the rotated file (matched by `envFileMatches`), and `$KEY`/`${KEY}` in `Exec*=`.
 */
export function findSystemdReferences(text: string, key: string, envFileMatches: (p: string) => boolean): KeyReference[] {
  const out: KeyReference[] = [];
  // The rest of the line, trimmed in code: a lazy `+?` before `[ \t]*$` retries at every space.
  for (const m of text.matchAll(/^[ \t]*EnvironmentFile[ \t]*=[ \t]*-?([^\r\n]*)/gm)) {
    const rest = m[1] as string;
    let end = rest.length;
    while (end > 0 && (rest.charCodeAt(end - 1) === 32 || rest.charCodeAt(end - 1) === 9)) end--;
    if (end === 0) continue;
    const p = rest.slice(0, end).replace(/^"|"$/g, '');
    if (envFileMatches(p)) out.push({ offset: (m.index ?? 0) + (m[0]).indexOf('EnvironmentFile'), detail: `EnvironmentFile=${p}` });
  }
  for (const at of keyOccurrences(text, key)) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const before = text.slice(lineStart, at);
    if (/^[ \t]*Environment[ \t]*=.*(^|[\s"'=])$/.test(before) && text[at + key.length] === '=') {
      out.push({ offset: at, detail: `Environment=${key}=… (a copy in the unit file)`, sets: true });
    }
  }
  for (const r of findShellReferences(text, key)) out.push(r);
  return out.sort((a, b) => a.offset - b.offset);
}
