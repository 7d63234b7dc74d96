/*
 * Reader for `git log --raw -z --no-abbrev --format=C%H %P %ct` output (with `-c` or `-m` for
 * merges). With -z every field is NUL-terminated: the header, each `:modes oids status` meta field
 * and each path, so paths with newlines, quotes or non-ASCII bytes need no unquoting.
 */

/** The `--format` that {@link readRawLog} expects. */
export const RAW_LOG_FORMAT = '--format=C%H %P %ct';

/** Every `.git` object id of absent content (an added or deleted side) is all zeros. */
export function isNullOid(oid: string): boolean {
  return /^0+$/.test(oid);
}

/** One changed path in one commit (against one parent, or against all of them for `-c`). */
export interface RawChange {
  /** Blob of each parent side ('000…' when absent there). One entry, or one per parent for `-c`. */
  before: string[];
  beforeModes: string[];
  /** Blob in this commit ('000…' when deleted). */
  after: string;
  afterMode: string;
  /** `A`, `M`, `D`, `T` per side (`MM`, `AA`... for combined). */
  status: string;
  /** Repository-relative path, `/`-separated, as git stores it. */
  path: string;
}

/** One header and the changes listed under it. */
export interface RawRecord {
  commit: string;
  parents: string[];
  /** Committer time, seconds since the epoch. */
  time: number;
  /** 0 for the first header of a commit; 1, 2... when `-m` repeats it for the next parents. */
  section: number;
  changes: RawChange[];
}

export interface ReadRawLogOptions {
  /** Keep only changes whose path passes (called once per change; keep it cheap). */
  pathFilter?: (path: string) => boolean;
  signal?: AbortSignal;
}

/**
 * Streams records from `stdout`, calling `onRecord` for each header with its (filtered) changes.
 * Records arrive in git's output order; `onRecord` may be called for records without changes.
 */
export async function readRawLog(
  stdout: NodeJS.ReadableStream,
  onRecord: (record: RawRecord) => void,
  options: ReadRawLogOptions = {},
): Promise<void> {
  let rest: Buffer | undefined;
  let record: RawRecord | undefined;
  let pendingMeta: string | undefined;
  const filter = options.pathFilter;
  const flush = () => {
    if (record) onRecord(record);
    record = undefined;
  };
  const token = (buf: Buffer, start: number, end: number) => {
    if (pendingMeta !== undefined) {
      const meta = pendingMeta;
      pendingMeta = undefined;
      const p = buf.toString('utf8', start, end);
      if (record && (!filter || filter(p))) record.changes.push(parseMeta(meta, p));
      return;
    }
    let s = start;
    while (s < end && buf[s] === 10) s++; // a newline separates the header from raw lines
    if (s === end) return;
    const first = buf[s];
    if (first === 58 /* : */) {
      pendingMeta = buf.toString('latin1', s, end);
    } else if (first === 67 /* C */) {
      const header = buf.toString('latin1', s + 1, end).trim();
      const parts = header.split(' ');
      const commit = parts[0] ?? '';
      const time = Number(parts[parts.length - 1]);
      const parents = parts.slice(1, -1).filter((p) => p !== '');
      const section = record && record.commit === commit ? record.section + 1 : 0;
      flush();
      record = { commit, parents, time, section, changes: [] };
    } else {
      throw new Error('unexpected git log output');
    }
  };
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    options.signal?.throwIfAborted();
    const buf = rest && rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const nul = buf.indexOf(0, pos);
      if (nul === -1) break;
      token(buf, pos, nul);
      pos = nul + 1;
    }
    rest = pos < buf.length ? buf.subarray(pos) : undefined;
  }
  if (rest && rest.length) token(rest, 0, rest.length);
  flush();
}

/** Parses `:m1 m2 o1 o2 S` or combined `::m1 m2 m3 o1 o2 o3 SS`. */
export function parseMeta(meta: string, path: string): RawChange {
  let colons = 0;
  while (meta.charCodeAt(colons) === 58) colons++;
  const fields = meta.slice(colons).split(' ');
  const n = colons; // number of parent sides
  const modes = fields.slice(0, n + 1);
  const oids = fields.slice(n + 1, 2 * n + 2);
  return {
    before: oids.slice(0, n),
    beforeModes: modes.slice(0, n),
    after: oids[n] ?? '',
    afterMode: modes[n] ?? '',
    status: fields[2 * n + 2] ?? '',
    path,
  };
}
