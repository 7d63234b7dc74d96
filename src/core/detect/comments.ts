import type { EnvEntry } from '../env/types';

/*
 * The comments that belong to an entry: the inline comment on its last line and the block of
 * `#` lines directly above it (no blank line in between). Suppressions and annotations read
 * them; both are attached to the entry (its key), never to a line number.
 */

/** At most this many comment lines above an entry are read: keeps a file's scan linear. */
const MAX_BLOCK_LINES = 12;

export interface EntryComments {
  /** Text of the inline comment after the value, without the leading `#`. */
  inline: string | undefined;
  /** The comment lines directly above the entry, nearest first, each without its leading `#`. */
  above: string[];
}

/**
 * Comments attached to `entry`. `floor` is the offset where the previous entry ends: a `#` line
 * inside a previous multi-line value is not a comment. Pass 0 when unknown. The result may be
 * shared: do not modify it.
 */
const NONE: string[] = Object.freeze([]) as unknown as string[];
/** Shared (frozen) result for the common case of an entry without comments. */
const NO_COMMENTS: EntryComments = Object.freeze({ inline: undefined, above: NONE });

export function entryComments(text: string, entry: EnvEntry, floor = 0): EntryComments {
  const out: EntryComments = { inline: undefined, above: NONE };
  // The inline comment follows the raw value on its last line. Read it from the text rather
  // than `entry.inlineComment`, whose range would build the file's line index.
  let i = entry.end;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (text.charCodeAt(i) === 35) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd === -1) lineEnd = text.length;
    if (text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    out.inline = text.slice(i + 1, lineEnd);
  }
  // Start of the entry's line.
  let lineStart = text.lastIndexOf('\n', entry.start - 1) + 1;
  // When the previous entry ends on the line just above, there is no comment line between:
  // a short forward scan over its tail settles it without walking back over the line.
  if (floor > 0 && floor < lineStart && text.indexOf('\n', floor) === lineStart - 1) return out.inline === undefined ? NO_COMMENTS : out;
  while (lineStart > floor && out.above.length < MAX_BLOCK_LINES) {
    const prevEnd = lineStart - 1; // the '\n' ending the previous line
    const prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
    if (prevStart < floor) break;
    // Look at the first non-blank character before slicing anything: most lines are entries.
    let i = prevStart;
    while (i < prevEnd && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (text.charCodeAt(i) !== 35) break; // '#'
    const lineEnd = text.charCodeAt(prevEnd - 1) === 13 ? prevEnd - 1 : prevEnd;
    if (out.above === NONE) out.above = [];
    out.above.push(text.slice(i + 1, lineEnd));
    lineStart = prevStart;
  }
  return out.inline === undefined && out.above === NONE ? NO_COMMENTS : out;
}
