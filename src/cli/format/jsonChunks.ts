/*
 * `JSON.stringify(value, null, 2)` in pieces, for reports too large to build as one string:
 * arrays given as `JsonList` are mapped one item at a time while the output is written, so
 * neither the whole tree of JSON objects nor the whole text exists at once. The pieces joined
 * are byte for byte what `JSON.stringify(value, null, 2)` gives for the same value with each
 * list spelled out as an array.
 */

/** An array of JSON values made from `items` one at a time, as the output reaches it. */
export class JsonList<T> {
  constructor(
    readonly items: Iterable<T>,
    readonly map: (item: T) => unknown,
  ) {}
}

/** A list of `items` mapped by `map` when written (see `jsonChunks`). */
export function jsonList<T>(items: Iterable<T>, map: (item: T) => unknown): JsonList<T> {
  return new JsonList(items, map);
}

const INDENT = '  ';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** Whether `v` holds a `JsonList` somewhere (then it is written piece by piece). */
function holdsList(v: unknown): boolean {
  if (v instanceof JsonList) return true;
  if (Array.isArray(v)) return v.some(holdsList);
  if (isPlainObject(v)) {
    for (const k in v) if (holdsList(v[k])) return true;
  }
  return false;
}

/** Values `JSON.stringify` leaves out of an object (and writes as `null` in an array). */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** `JSON.stringify(v, null, 2)` as it appears `depth` levels deep. */
function leaf(v: unknown, pad: string): string {
  const s = JSON.stringify(v, null, 2);
  // JSON text holds no raw newline inside a string: every newline starts a line to indent.
  return pad === '' || !s.includes('\n') ? s : s.replace(/\n/g, '\n' + pad);
}

function* items(list: Iterable<unknown>, map: ((item: unknown) => unknown) | undefined, pad: string): Generator<string> {
  const inner = pad + INDENT;
  let first = true;
  for (const item of list) {
    const v = map ? map(item) : item;
    yield first ? `[\n${inner}` : `,\n${inner}`;
    first = false;
    if (omitted(v)) yield 'null';
    else yield* value(v, inner);
  }
  yield first ? '[]' : `\n${pad}]`;
}

function* value(v: unknown, pad: string): Generator<string> {
  if (v instanceof JsonList) {
    yield* items(v.items as Iterable<unknown>, v.map as (item: unknown) => unknown, pad);
  } else if (!holdsList(v)) {
    yield leaf(v, pad);
  } else if (Array.isArray(v)) {
    yield* items(v, undefined, pad);
  } else {
    const o = v as Record<string, unknown>;
    const inner = pad + INDENT;
    let first = true;
    for (const k of Object.keys(o)) {
      const x = o[k];
      if (omitted(x)) continue;
      yield `${first ? '{' : ','}\n${inner}${JSON.stringify(k)}: `;
      first = false;
      yield* value(x, inner);
    }
    yield first ? '{}' : `\n${pad}}`;
  }
}

/** The pieces of `JSON.stringify(v, null, 2)`, with every `JsonList` spelled out as an array. */
export function jsonChunks(v: unknown): Generator<string> {
  return value(v, '');
}

/** Default size of the pieces `writeChunked` hands on. */
export const WRITE_CHUNK = 64 * 1024;

/**
 * Hands `chunks` to `write` joined into pieces of about `size` characters, so a large report
 * reaches the output while it is made instead of as one string at the end.
 */
export function writeChunked(chunks: Iterable<string>, write: (text: string) => void, size = WRITE_CHUNK): void {
  let buf: string[] = [];
  let len = 0;
  for (const c of chunks) {
    buf.push(c);
    len += c.length;
    if (len >= size) {
      write(buf.join(''));
      buf = [];
      len = 0;
    }
  }
  if (len > 0) write(buf.join(''));
}
