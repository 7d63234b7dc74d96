import * as assert from 'node:assert/strict';
import { jsonChunks, jsonList, writeChunked } from '../../../../src/cli/format/jsonChunks';

/** The same value with every list spelled out as an array: what `JSON.stringify` is given. */
function spelled(v: unknown): unknown {
  if (v && typeof v === 'object' && 'items' in v && 'map' in v) {
    const l = v as { items: Iterable<unknown>; map: (x: unknown) => unknown };
    return [...l.items].map((x) => spelled(l.map(x)));
  }
  if (Array.isArray(v)) return v.map(spelled);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, spelled(x)]));
  }
  return v;
}

const cases: Array<[string, () => unknown]> = [
  ['an empty object', () => ({})],
  ['an empty list', () => ({ a: jsonList([], (x) => x) })],
  ['a top-level list', () => jsonList([1, 2, 3], (x) => ({ n: x }))],
  ['nested lists', () => ({ version: 1, files: jsonList(['a', 'b'], (p) => ({ path: p, entries: jsonList([1, 2], (n) => ({ n, s: `${p}\n"${n}"` })) })), findings: jsonList([] as number[], (x) => x) })],
  ['a list inside a plain array inside an object', () => ({ runs: [{ tool: { rules: [{ id: 'x', tags: ['a'] }] }, results: jsonList([{ a: 1 }, { b: [1, { c: 2 }] }], (x) => x) }] })],
  ['left-out and null values', () => ({ u: undefined, f: () => 1, n: null, l: jsonList([undefined, 1, () => 2], (x) => x), d: new Date(0), e: {}, z: [] })],
  ['unicode, escapes and numeric keys', () => ({ '2': 'two', b: 'é\u2028\u0000\t', 1: jsonList(['\n', '\\'], (x) => ({ [x]: x })) })],
];

describe('jsonChunks', () => {
  for (const [name, make] of cases) {
    it(`joins to JSON.stringify(value, null, 2): ${name}`, () => {
      assert.equal([...jsonChunks(make())].join(''), JSON.stringify(spelled(make()), null, 2));
    });
  }

  it('maps each list item only when the output reaches it', () => {
    const seen: number[] = [];
    const chunks = jsonChunks({ xs: jsonList([1, 2, 3], (x) => (seen.push(x), x)) });
    const it = chunks[Symbol.iterator]();
    it.next();
    it.next();
    assert.deepEqual(seen, [1]);
    for (let r = it.next(); !r.done; r = it.next());
    assert.deepEqual(seen, [1, 2, 3]);
  });
});

describe('writeChunked', () => {
  it('hands on everything, in order, in pieces of about the size asked', () => {
    const parts = Array.from({ length: 1000 }, (_, i) => `${i},`);
    const written: string[] = [];
    writeChunked(parts, (t) => written.push(t), 100);
    assert.equal(written.join(''), parts.join(''));
    assert.ok(written.length > 10);
    for (const w of written.slice(0, -1)) assert.ok(w.length >= 100 && w.length < 110, `piece of ${w.length}`);
  });

  it('writes nothing for nothing', () => {
    const written: string[] = [];
    writeChunked([], (t) => written.push(t));
    assert.deepEqual(written, []);
  });
});
