import { diffHeaderPath } from '../git/allFilesScan';

/*
 * A streaming reader for the unified diffs the hooks ask git for:
 *
 *   git diff --cached -p -U0 --full-index -M ...                 (pre-commit: index vs HEAD)
 *   git log -p -U0 --full-index -M --format=%x00%H ... <range>   (pre-push: each outgoing commit)
 *
 * One pass gives every changed file (status, paths, blob ids, binary or not) and every added line
 * with its line number in the new version, so neither hook needs a second git command to find
 * what is being added. Hunks are consumed by their line counts, never by what a line looks like,
 * so an added line that reads `+++ b/x` or `diff --git` is still content.
 *
 * Lines hold file content (secrets): they are handed to the visitor and never kept or reported.
 */

export type PatchStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied';

/** One file in a patch. */
export interface PatchFile {
  /** The commit whose patch this is (`git log -p`); undefined for `git diff`. */
  commit?: string;
  /** Repository-relative `/` path in the new version (the old path for a deletion). */
  path: string;
  /** The path before a rename or copy. */
  oldPath?: string;
  status: PatchStatus;
  /** Full blob ids from the `index` line; absent for a pure rename or mode change. */
  oldBlob?: string;
  newBlob?: string;
  /** Mode of the new version (`100644`, `100755`, `120000` link, `160000` submodule). */
  newMode?: string;
  /** git judged the content binary (a NUL byte, or a `-diff` / `binary` attribute). */
  binary: boolean;
}

export interface PatchVisitor {
  /** Called for each commit header (`git log -p`), even one without changes (a merge). */
  commit?(id: string): void;
  /** Called for each file once its header is read, before its added lines. */
  file?(file: PatchFile): void;
  /** An added line: 1-based line number in the new version, text without `+` or line ending. */
  added?(file: PatchFile, line: number, text: string): void;
  /**
   * The added lines of a file (up to {@link BLOCK_BYTES} at a time), joined with `\n`, with their
   * line numbers: one string per file instead of one per line, for checks that scan text.
   */
  addedBlock?(file: PatchFile, lines: number[], text: string): void;
}

/** Largest joined block handed to `addedBlock`; a larger file comes in several blocks. */
export const BLOCK_BYTES = 256 * 1024;
const NL_BUF = Buffer.from('\n');

const NL = 10;

/**
 * Reads a patch stream to its end, calling `visitor` as files and added lines arrive.
 * @throws Error('unexpected git diff output') when the stream is not a patch git wrote.
 */
export async function readPatch(stdout: NodeJS.ReadableStream, visitor: PatchVisitor, options: { signal?: AbortSignal } = {}): Promise<void> {
  const parser = new PatchParser(visitor);
  let rest: Buffer | undefined;
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    options.signal?.throwIfAborted();
    const buf = rest && rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(NL, pos);
      if (nl === -1) break;
      parser.line(buf, pos, nl);
      pos = nl + 1;
    }
    rest = pos < buf.length ? buf.subarray(pos) : undefined;
  }
  if (rest && rest.length) parser.line(rest, 0, rest.length);
  parser.end();
}

/** Parses a whole patch held in memory (tests, small diffs). */
export function parsePatchText(text: string | Buffer, visitor: PatchVisitor): void {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const parser = new PatchParser(visitor);
  let pos = 0;
  for (;;) {
    const nl = buf.indexOf(NL, pos);
    if (nl === -1) break;
    parser.line(buf, pos, nl);
    pos = nl + 1;
  }
  if (pos < buf.length) parser.line(buf, pos, buf.length);
  parser.end();
}

interface Header {
  diffLine: string;
  status: PatchStatus;
  minus?: string;
  plus?: string;
  renameFrom?: string;
  renameTo?: string;
  oldBlob?: string;
  newBlob?: string;
  newMode?: string;
  binaryLine?: string;
}

class PatchParser {
  private commit: string | undefined;
  /** The file whose header is being read (`undefined` between files or inside hunks). */
  private header: Header | undefined;
  private file: PatchFile | undefined;
  /** Lines left in the current hunk, old and new side. */
  private oldLeft = 0;
  private newLeft = 0;
  private newLine = 0;
  /** Added lines of the current file not yet handed to `addedBlock`. */
  private blockParts: Buffer[] = [];
  private blockLines: number[] = [];
  private blockBytes = 0;

  constructor(private readonly visitor: PatchVisitor) {}

  line(buf: Buffer, start: number, end: number): void {
    if (this.oldLeft > 0 || this.newLeft > 0) {
      this.hunkLine(buf, start, end);
      return;
    }
    const first = buf[start];
    if (first === 0) {
      // `--format=%x00%H`: a new commit.
      this.flushBlock();
      this.flushHeader();
      this.file = undefined;
      this.commit = buf.toString('latin1', start + 1, end).trim();
      this.visitor.commit?.(this.commit);
      return;
    }
    if (end === start) return; // the blank line after a commit header
    const text = buf.toString('utf8', start, end);
    if (text.startsWith('diff --git ')) {
      this.flushBlock();
      this.flushHeader();
      this.file = undefined;
      this.header = { diffLine: text, status: 'modified' };
      return;
    }
    if (text.startsWith('@@ ')) {
      this.flushHeader();
      const m = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(text);
      if (!m || !this.file) throw new Error('unexpected git diff output');
      this.oldLeft = m[1] === undefined ? 1 : Number(m[1]);
      this.newLine = Number(m[2]);
      this.newLeft = m[3] === undefined ? 1 : Number(m[3]);
      return;
    }
    const h = this.header;
    if (!h) {
      // Anything else outside a file (a commit message line git printed) is not ours to read.
      return;
    }
    if (text.startsWith('new file mode ')) {
      h.status = 'added';
      h.newMode = text.slice('new file mode '.length).trim();
    } else if (text.startsWith('deleted file mode ')) {
      h.status = 'deleted';
    } else if (text.startsWith('new mode ')) {
      h.newMode = text.slice('new mode '.length).trim();
    } else if (text.startsWith('rename from ')) {
      h.status = 'renamed';
      h.renameFrom = unquotePath(text.slice('rename from '.length));
    } else if (text.startsWith('rename to ')) {
      h.renameTo = unquotePath(text.slice('rename to '.length));
    } else if (text.startsWith('copy from ')) {
      h.status = 'copied';
      h.renameFrom = unquotePath(text.slice('copy from '.length));
    } else if (text.startsWith('copy to ')) {
      h.renameTo = unquotePath(text.slice('copy to '.length));
    } else if (text.startsWith('index ')) {
      const m = /^index ([0-9a-f]+)\.\.([0-9a-f]+)(?: (\d+))?/.exec(text);
      if (m) {
        h.oldBlob = m[1];
        h.newBlob = m[2];
        if (m[3]) h.newMode = m[3];
      }
    } else if (text.startsWith('--- ')) {
      h.minus = text.slice(4);
    } else if (text.startsWith('+++ ')) {
      h.plus = text.slice(4);
    } else if (text.startsWith('Binary files ')) {
      h.binaryLine = text;
    }
  }

  end(): void {
    this.flushBlock();
    this.flushHeader();
    if (this.oldLeft > 0 || this.newLeft > 0) throw new Error('unexpected git diff output (truncated hunk)');
  }

  private hunkLine(buf: Buffer, start: number, end: number): void {
    const sign = buf[start];
    if (sign === 43 /* + */) {
      this.newLeft--;
      let e = end;
      if (e > start + 1 && buf[e - 1] === 13) e--;
      if (this.file && this.visitor.added) this.visitor.added(this.file, this.newLine, buf.toString('utf8', start + 1, e));
      if (this.file && this.visitor.addedBlock) {
        if (this.blockLines.length) this.blockParts.push(NL_BUF);
        // Chunks from a stream are never reused, so a view into one stays valid.
        this.blockParts.push(buf.subarray(start + 1, e));
        this.blockLines.push(this.newLine);
        this.blockBytes += e - start;
        if (this.blockBytes >= BLOCK_BYTES) this.flushBlock();
      }
      this.newLine++;
    } else if (sign === 45 /* - */) {
      this.oldLeft--;
    } else if (sign === 32 /* space */ || end === start) {
      // A context line (from diff.interHunkContext); an empty line is a context line whose
      // space a mail transport might strip.
      this.oldLeft--;
      this.newLeft--;
      this.newLine++;
    } else if (sign === 92 /* \ No newline at end of file */) {
      // not a line of either side
    } else {
      throw new Error('unexpected git diff output');
    }
    if (this.oldLeft < 0 || this.newLeft < 0) throw new Error('unexpected git diff output');
  }

  private flushBlock(): void {
    if (this.blockLines.length === 0 || !this.file) return;
    const text = Buffer.concat(this.blockParts).toString('utf8');
    const lines = this.blockLines;
    this.blockParts = [];
    this.blockLines = [];
    this.blockBytes = 0;
    this.visitor.addedBlock?.(this.file, lines, text);
  }

  private flushHeader(): void {
    const h = this.header;
    if (!h) return;
    this.header = undefined;
    const binary = h.binaryLine !== undefined;
    let path = h.renameTo;
    if (path === undefined && h.plus !== undefined && h.plus !== '/dev/null') path = stripPrefix(unquotePath(trimTab(h.plus)), 'b/');
    if (path === undefined && h.status === 'deleted' && h.minus !== undefined && h.minus !== '/dev/null') path = stripPrefix(unquotePath(trimTab(h.minus)), 'a/');
    if (path === undefined && h.binaryLine !== undefined) path = binaryLinePath(h.binaryLine, h.status === 'deleted');
    if (path === undefined || path === '') path = diffHeaderPath(h.diffLine);
    if (!path) throw new Error('unexpected git diff output (no path)');
    if (h.status === 'modified' && h.oldBlob !== undefined && /^0+$/.test(h.oldBlob)) h.status = 'added';
    const file: PatchFile = { path, status: h.status, binary };
    if (this.commit !== undefined) file.commit = this.commit;
    if (h.renameFrom !== undefined) file.oldPath = h.renameFrom;
    if (h.oldBlob !== undefined && !/^0+$/.test(h.oldBlob)) file.oldBlob = h.oldBlob;
    if (h.newBlob !== undefined && !/^0+$/.test(h.newBlob)) file.newBlob = h.newBlob;
    if (h.newMode !== undefined) file.newMode = h.newMode;
    this.file = file;
    this.visitor.file?.(file);
  }
}

/** git appends a TAB to `---`/`+++` names that contain a space. */
function trimTab(s: string): string {
  return s.endsWith('\t') ? s.slice(0, -1) : s;
}

function stripPrefix(s: string, prefix: string): string {
  return s.startsWith(prefix) ? s.slice(prefix.length) : s;
}

/** `Binary files a/x and b/y differ` → `y` (or `x` for a deletion). */
function binaryLinePath(line: string, deleted: boolean): string | undefined {
  const body = line.slice('Binary files '.length).replace(/ differ$/, '');
  if (deleted) {
    const m = /^("(?:[^"\\]|\\.)*"|.+?) and \/dev\/null$/.exec(body);
    return m ? stripPrefix(unquotePath(m[1] as string), 'a/') : undefined;
  }
  const quoted = /"((?:[^"\\]|\\.)*)"$/.exec(body);
  if (quoted && body.endsWith('"')) return stripPrefix(unquotePath(`"${quoted[1] as string}"`), 'b/');
  const at = body.lastIndexOf(' and b/');
  return at === -1 ? undefined : body.slice(at + ' and b/'.length);
}

/** Reverses git's C-style quoting of a path (`"a\tb"`, octal escapes are UTF-8 bytes). */
export function unquotePath(s: string): string {
  if (!s.startsWith('"') || !s.endsWith('"') || s.length < 2) return s;
  const body = s.slice(1, -1);
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      const ch = String.fromCodePoint(body.codePointAt(i) as number);
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      i += ch.length - 1;
      continue;
    }
    const n = body[i + 1] ?? '';
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
