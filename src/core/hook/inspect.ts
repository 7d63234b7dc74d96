import { detectCommentedSecrets } from '../detect/commentedSecrets';
import { configLookup } from '../detect/config';
import { detectSecrets } from '../detect/detect';
import { matchProvider } from '../detect/providers';
import { suppressionInComment } from '../detect/suppressions';
import type { DetectConfig } from '../detect/types';
import { parseEnv } from '../env/parse';
import { DEFAULT_MAX_BYTES, decodeEnvBytes } from '../fs/readTextFile';
import type { CatFileBatch, CatFileObject } from '../git/catFileBatch';
import { isEnvHistoryPath } from '../git/envHistory';
import { classifyEnvFileName } from '../workspace/envFileNames';
import type { KnownSecret } from './knownSecrets';
import type { PatchFile, PatchVisitor } from './patch';
import type { HookFinding } from './report';
import { readWorkTreeBlob } from './workTreeBlob';

/*
 * The checks both hooks run over a patch (see patch.ts): the pre-commit hook over the staged diff,
 * the pre-push hook over each outgoing commit's diff.
 *
 * - env-file: a `.env`-family file being added or changed is read whole (one `cat-file --batch`
 *   process serves every such file) and run through detection; each secret it holds is an error,
 *   whatever lines the change touched, since the whole file is what gets committed.
 * - known-value: every added line of every file is searched for the exact values of the work
 *   tree's secrets (knownSecrets.ts). Binary files, which have no lines in a patch, are read whole
 *   and searched the same way; a hit already in the previous version is not new.
 * - token-format: added lines of other files are matched against the providers' token formats.
 *   Such a token is not known to be live, so it warns unless the settings say to block.
 *
 * An added line carrying a suppression marker (`rekey-ignore`, `gitleaks:allow`,
 * `pragma: allowlist secret`...), or directly under an added line that is only such a marker,
 * is skipped by the line checks; `.env` entries use the detector's own suppression rules.
 */

export interface InspectOptions {
  known: KnownSecret[];
  detect: DetectConfig;
  /** Format-only findings are errors (default: warnings). */
  blockOnFormat: boolean;
  /** Largest `.env`-family blob checked (default 1 MiB); larger ones are reported unchecked. */
  maxBytes?: number;
  /** Largest binary blob searched for known values (default 8 MiB). */
  maxBinaryBytes?: number;
  /**
   * Top of the work tree, when there is one: a `.env`-family blob whose work-tree file has the
   * same id is read from there rather than through `cat-file` (workTreeBlob.ts).
   */
  workTree?: string;
}

/** Anything that can start a `cat-file --batch` for the repository (`HookGit`, `GitRunner`). */
export interface CatFileSource {
  catFile(): CatFileBatch;
}

const DEFAULT_MAX_BINARY = 8 * 1024 * 1024;

/** Markers that allow one line in any file. */
const LINE_MARKER = /\brekey-ignore\b|gitleaks:allow|pragma:\s*allowlist[ -]secret|secretlint-disable-line|trufflehog:ignore/i;
/** Markers on their own line that allow the next one. */
const NEXT_LINE_MARKER = /\brekey-ignore\b|gitleaks:allow|pragma:\s*allowlist[ -]secret|secretlint-disable-next-line|trufflehog:ignore/i;
/** A line that is a comment and nothing else (`#`, `//`, `--`, `;`, `/*`, `*`, `<!--`, `%`, `'`, `rem`). */
const COMMENT_ONLY = /^\s*(?:#|\/\/|--|;|\/\*|\*|<!--|%|'|rem\b)/i;

/** Whether an added line says "allow this line". */
export function lineSuppressed(text: string, previous: string | undefined): boolean {
  if (LINE_MARKER.test(text) || suppressionInComment(text) !== undefined) return true;
  return previous !== undefined && COMMENT_ONLY.test(previous) && NEXT_LINE_MARKER.test(previous);
}

interface Needle {
  text: string;
  secret: KnownSecret;
}

/**
 * Collects findings from one patch. Feed it to `readPatch` as the visitor, then await
 * {@link PatchInspector.finish}.
 */
export class PatchInspector {
  readonly visitor: PatchVisitor;
  /** Files seen in the patch (each path once per commit). */
  files = 0;
  readonly commits = new Set<string>();
  private readonly findings: HookFinding[] = [];
  private readonly needles: Needle[];
  private readonly shortest: number;
  private cat: CatFileBatch | undefined;
  private readonly reads: Array<Promise<void>> = [];
  private readError: unknown;
  /** The last added line checked, for "marker on the line above" across batches. */
  private previous: { file: PatchFile; line: number; text: string } | undefined;

  constructor(
    private readonly git: CatFileSource,
    private readonly options: InspectOptions,
  ) {
    const seen = new Set<string>();
    this.needles = [];
    for (const s of options.known) {
      for (const n of s.needles) {
        if (seen.has(n)) continue;
        seen.add(n);
        this.needles.push({ text: n, secret: s });
      }
    }
    this.shortest = this.needles.reduce((m, n) => Math.min(m, n.text.length), Infinity);
    this.visitor = {
      commit: (id) => void this.commits.add(id),
      file: (f) => this.onFile(f),
      addedBlock: (f, lines, text) => this.onBlock(f, lines, text),
    };
  }

  /** Waits for the blob reads, stops `cat-file` and returns the findings (deduplicated, unsorted). */
  async finish(): Promise<HookFinding[]> {
    try {
      // A read may start another (a binary file's previous version): wait until none is left.
      while (this.reads.length) await Promise.all(this.reads.splice(0));
    } finally {
      await this.cat?.close();
    }
    if (this.readError) throw this.readError instanceof Error ? this.readError : new Error('git cat-file failed');
    return dedupe(this.findings);
  }

  /** Stops `cat-file` without waiting (after a failure elsewhere). */
  abort(): void {
    this.cat?.kill();
  }

  private catFile(): CatFileBatch {
    this.cat ??= this.git.catFile();
    return this.cat;
  }

  private read(spec: string, then: (obj: CatFileObject | undefined) => void): void {
    const p = this.catFile()
      .read(spec)
      .then(then)
      .catch((err: unknown) => {
        this.readError ??= err;
      });
    this.reads.push(p);
  }

  private onFile(f: PatchFile): void {
    this.files++;
    if (f.status === 'deleted' || f.newMode === '160000') return;
    if (f.newMode !== '120000' && isEnvHistoryPath(f.path)) {
      const spec = f.newBlob ?? `${f.commit ?? ''}:${f.path}`;
      const { workTree } = this.options;
      if (workTree !== undefined && f.newBlob) {
        const blob = f.newBlob;
        const p = readWorkTreeBlob(workTree, f.path, blob).then((obj) => (obj ? this.checkEnvBlob(f, obj) : this.read(spec, (o) => this.checkEnvBlob(f, o))));
        this.reads.push(p.catch((err: unknown) => void (this.readError ??= err)));
        return;
      }
      this.read(spec, (obj) => this.checkEnvBlob(f, obj));
      return;
    }
    if (f.binary && this.needles.length && f.newBlob) {
      const before = f.oldBlob;
      this.read(f.newBlob, (obj) => {
        if (!obj) return;
        const limit = this.options.maxBinaryBytes ?? DEFAULT_MAX_BINARY;
        if (obj.content.length > limit) {
          // Say so rather than pass it silently: the commit is not known to be clean.
          this.push({ path: f.path, ...(f.commit ? { commit: f.commit } : {}), type: 'unchecked', severity: 'warning', reason: `binary file larger than ${Math.round(limit / (1 << 20))} MiB; not searched for your .env values` });
          return;
        }
        const hits = this.binaryHits(obj.content);
        if (hits.length === 0) return;
        if (before) this.read(before, (old) => this.reportBinary(f, obj.content, hits.filter((h) => !old || old.content.indexOf(h.text) === -1)));
        else this.reportBinary(f, obj.content, hits);
      });
    }
  }

  /**
   * Added lines arrive a file (or 256 KiB) at a time, joined: one substring search per needle
   * and one format scan over the block tell whether any line can hold something, so the
   * per-line work runs only for the rare file that does. Needles hold no line break and token
   * formats stop at one, so the block matches exactly when one of its lines does.
   */
  private onBlock(f: PatchFile, lines: number[], block: string): void {
    const needles = block.length >= this.shortest ? this.needles.filter((n) => block.includes(n.text)) : [];
    const formats = !isEnvHistoryPath(f.path) && matchProvider(block) !== undefined;
    const last = lines.length - 1;
    if (needles.length || formats) {
      const texts = block.split('\n');
      for (let i = 0; i <= last; i++) {
        const line = lines[i] as number;
        const prevLine = i > 0 ? lines[i - 1] : this.previous?.file === f ? this.previous.line : undefined;
        const prevText = i > 0 ? texts[i - 1] : this.previous?.text;
        this.checkLine(f, line, texts[i] ?? '', prevLine === line - 1 ? prevText : undefined, needles, formats);
      }
    }
    const tail = block.lastIndexOf('\n');
    this.previous = { file: f, line: lines[last] as number, text: block.slice(tail + 1) };
  }

  private checkLine(f: PatchFile, line: number, text: string, prev: string | undefined, needles: Needle[], formats: boolean): void {
    let suppressed: boolean | undefined;
    const isSuppressed = () => (suppressed ??= lineSuppressed(text, prev));
    let valueHit = false;
    for (const n of needles) {
      if (!text.includes(n.text)) continue;
      if (isSuppressed()) return;
      valueHit = true;
      this.push({
        type: 'known-value', severity: 'error', path: f.path, line, key: n.secret.key, kind: n.secret.kind,
        source: { file: n.secret.file, line: n.secret.line }, ...(f.commit ? { commit: f.commit } : {}),
      });
    }
    if (valueHit || !formats) return;
    const m = matchProvider(text);
    if (!m || m.verdict !== 'secret' || m.degenerate || m.clientSafe) return;
    if (isSuppressed()) return;
    this.push({
      type: 'token-format', severity: this.options.blockOnFormat ? 'error' : 'warning', path: f.path, line,
      kind: m.rule.kind, provider: m.rule.id, label: m.rule.label, ...(f.commit ? { commit: f.commit } : {}),
    });
  }

  private checkEnvBlob(f: PatchFile, obj: CatFileObject | undefined): void {
    const role = classifyEnvFileName(f.path) ?? 'env';
    const base = { path: f.path, role, ...(f.commit ? { commit: f.commit } : {}) };
    if (!obj) {
      this.push({ ...base, type: 'unchecked', severity: 'warning', reason: 'its content could not be read' });
      return;
    }
    const decoded = decodeEnvBytes(obj.content, this.options.maxBytes ?? DEFAULT_MAX_BYTES);
    let text: string;
    if (decoded.ok) text = decoded.text;
    else if (decoded.reason === 'binary' || decoded.reason === 'invalid-utf8') {
      // dotenv still reads such a file (NULs and bad bytes included), so an app would load its
      // secrets: search it the way it would be read rather than wave it through as binary.
      text = lenientEnvText(obj.content);
    } else {
      this.push({ ...base, type: 'unchecked', severity: 'warning', reason: decoded.message });
      return;
    }
    const parsed = parseEnv(text);
    for (const s of detectSecrets(parsed, text, { config: this.options.detect, relativePath: f.path })) {
      if (s.suppressed) continue;
      // Low confidence (entropy or weak evidence only) is shown, never blocks.
      this.push({ ...base, type: 'env-file', severity: s.confidence === 'low' ? 'warning' : 'error', line: s.entry.range.start.line + 1, key: s.entry.key, kind: s.kind });
    }
    // A commented-out assignment is committed like a live one.
    for (const s of detectCommentedSecrets(text)) {
      if (s.confidence === 'low' || configLookup(this.options.detect.notSecret ?? [], f.path, s.key) !== undefined) continue;
      this.push({ ...base, type: 'env-file', severity: 'error', line: s.keyRange.start.line + 1, key: s.key, kind: s.kind });
    }
  }

  private binaryHits(content: Buffer): Needle[] {
    if (content.length > (this.options.maxBinaryBytes ?? DEFAULT_MAX_BINARY)) return [];
    return this.needles.filter((n) => content.indexOf(n.text) !== -1);
  }

  private reportBinary(f: PatchFile, content: Buffer, hits: Needle[]): void {
    for (const n of hits) {
      const at = content.indexOf(n.text);
      let line = 1;
      for (let p = content.indexOf(10); p !== -1 && p < at; p = content.indexOf(10, p + 1)) line++;
      this.push({
        type: 'known-value', severity: 'error', path: f.path, line, key: n.secret.key, kind: n.secret.kind,
        source: { file: n.secret.file, line: n.secret.line }, ...(f.commit ? { commit: f.commit } : {}),
      });
    }
  }

  private push(finding: HookFinding): void {
    this.findings.push(finding);
  }
}

const TYPE_RANK: Record<HookFinding['type'], number> = { 'env-file': 0, 'known-value': 1, 'unchecked': 2, 'token-format': 3 };

/**
 * One finding per thing found: a line reported by the env-file check is not reported again by
 * the line checks, and across outgoing commits the same key in the same file (or the same value
 * in the same file) is listed once, at its first commit, with `more` counting the rest.
 */
/**
 * The text of a `.env`-family blob that is not clean UTF-8: UTF-16 when it starts with a byte
 * order mark (editors on Windows write it), otherwise UTF-8 with bad bytes replaced and NULs
 * dropped, so a `GIF89a\0` prefix cannot hide the entries behind it.
 */
export function lenientEnvText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).split('\0').join('');
}

function dedupe(findings: HookFinding[]): HookFinding[] {
  const lines = new Set<string>();
  for (const f of findings) if (f.type === 'env-file') lines.add(`${f.commit ?? ''}\0${f.path}\0${f.line ?? 0}`);
  const byThing = new Map<string, HookFinding>();
  const ordered = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => TYPE_RANK[a.f.type] - TYPE_RANK[b.f.type] || a.i - b.i)
    .map((x) => x.f);
  for (const f of ordered) {
    if (f.type !== 'env-file' && lines.has(`${f.commit ?? ''}\0${f.path}\0${f.line ?? 0}`)) continue;
    const thing =
      f.type === 'env-file' ? `e\0${f.path}\0${f.key ?? ''}`
      : f.type === 'known-value' ? `v\0${f.path}\0${f.key ?? ''}\0${f.source?.file ?? ''}`
      : f.type === 'token-format' ? `t\0${f.path}\0${f.provider ?? ''}\0${f.commit ? '' : String(f.line ?? 0)}`
      : `u\0${f.path}\0${f.commit ?? ''}`;
    const first = byThing.get(thing);
    if (first) first.more = (first.more ?? 0) + 1;
    else byThing.set(thing, { ...f });
  }
  return [...byThing.values()];
}
