import { promises as fs } from 'node:fs';
import type * as vscode from 'vscode';
import { parseEnv } from '../../core/env/parse';
import type { ScanFile } from '../../core/findings/scanContext';
import { formatBytes, readEnvFile, type ReadResult } from '../../core/fs/readTextFile';
import type { DiskState, TrackedFile } from './fileState';

/** What the reader needs of an open document (a `vscode.TextDocument` is one). */
export interface OpenDocument {
  readonly version: number;
  readonly isDirty: boolean;
  getText(): string;
}

export interface ReadFiles {
  /** The files, sorted by path; files that no longer exist on disk (and are not open) are left out. */
  files: ScanFile[];
  /** Document version (open) or rounded mtime (disk) of each file, by path. */
  versions: Map<string, number>;
  /** Whether any open document has unsaved edits. */
  dirty: boolean;
  /** Lines across the files that were parsed. */
  lines: number;
}

/**
 * Reads a group's files for analysis: the open document's text when there is one (unsaved edits
 * count), the disk otherwise, both held to `maxBytes`. Disk copies are read again only when
 * marked stale (open documents are only stat'ed, for the permission checks); text is parsed again
 * only when it changed, so unchanged files keep their `parsed` object (the fast pass's cache key).
 * Uses no VS Code API: `openDocument` is passed in.
 */
export async function readTrackedFiles(
  tracked: Iterable<TrackedFile>,
  maxBytes: number,
  openDocument: (uri: vscode.Uri) => OpenDocument | undefined,
): Promise<ReadFiles> {
  const files: ScanFile[] = [];
  const versions = new Map<string, number>();
  let dirty = false;
  let lines = 0;
  for (const t of tracked) {
    const doc = openDocument(t.uri);
    let disk = t.disk;
    if (t.diskStale || !disk) {
      disk = doc ? await statOf(t.path) : toDiskState(await readEnvFile(t.path, maxBytes));
      t.disk = disk;
      t.diskStale = false;
    }
    let text: string | undefined;
    let error = disk.error;
    if (doc) {
      dirty ||= doc.isDirty;
      text = doc.getText();
      versions.set(t.path, doc.version);
      // A document's size in UTF-8: cheap upper bound first, exact count only near the cap.
      const bytes = text.length * 3 <= maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
      if (bytes > maxBytes) {
        error = { reason: 'too-large', message: `larger than the ${formatBytes(maxBytes)} limit (${formatBytes(bytes)}); skipped` };
        text = undefined;
      } else {
        error = undefined;
      }
    } else {
      text = disk.text;
      versions.set(t.path, Math.round(disk.mtimeMs ?? 0));
      if (!error && text === undefined) error = { reason: 'unreadable', message: 'cannot be read; skipped' };
      if (error?.reason === 'not-found') continue;
    }
    const sf: ScanFile = { path: t.path, role: t.role };
    if (disk.mtimeMs !== undefined) sf.mtimeMs = disk.mtimeMs;
    if (disk.mode !== undefined) sf.mode = disk.mode;
    if (text !== undefined) {
      if (t.parsedText !== text || !t.parsed) {
        t.parsed = parseEnv(text);
        t.parsedText = text;
      }
      sf.text = text;
      sf.parsed = t.parsed;
      lines += t.parsed.lineCount;
    } else if (error) {
      sf.error = error;
    }
    files.push(sf);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, versions, dirty, lines };
}

function toDiskState(r: ReadResult): DiskState {
  return r.ok ? { text: r.text, mtimeMs: r.mtimeMs, mode: r.mode } : { error: { reason: r.reason, message: r.message } };
}

async function statOf(file: string): Promise<DiskState> {
  try {
    const st = await fs.stat(file);
    return { mtimeMs: st.mtimeMs, mode: st.mode };
  } catch {
    return {};
  }
}
