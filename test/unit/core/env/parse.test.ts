import * as assert from 'node:assert/strict';
import * as dotenv from 'dotenv';
import { parseEnv } from '../../../../src/core/env/parse';
import { assertExactRanges, entriesToObject } from './parseHelpers';

function codes(text: string): string[] {
  return parseEnv(text).problems.map((p) => `${p.code}@${p.range.start.line + 1}`);
}

describe('parseEnv', () => {
  it('keeps quote style, export and exact ranges', () => {
    const text = 'A=1\nexport B="two"\nC=\'3\'\nD=`4`\n';
    const { entries } = parseEnv(text);
    assert.deepEqual(entries.map((e) => [e.key, e.value, e.quote, e.exported]), [
      ['A', '1', 'none', false], ['B', 'two', 'double', true], ['C', '3', 'single', false], ['D', '4', 'backtick', false],
    ]);
    const b = entries[1]!;
    assert.deepEqual(b.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 14 } });
    assert.deepEqual(b.keyRange, { start: { line: 1, character: 7 }, end: { line: 1, character: 8 } });
    assert.equal(text.slice(b.valueStart, b.valueEnd), '"two"');
  });

  it('reads multi-line double-quoted values with escapes as dotenv does', () => {
    const text = 'KEY="line1\nline2\\nline3"\nNEXT=1\n';
    const { entries } = parseEnv(text);
    assert.equal(entries[0]!.value, 'line1\nline2\nline3');
    assert.equal(entries[0]!.multiline, true);
    assert.deepEqual(entries[0]!.valueRange.end, { line: 1, character: 13 });
    assert.deepEqual(entriesToObject(entries), { ...dotenv.parse(text) });
  });

  it('maps CRLF files back to original offsets, and reports CRLF and BOM', () => {
    const text = '\ufeffA=1\r\nB="x\r\ny"\r\nC=3';
    const parsed = parseEnv(text);
    assert.deepEqual(entriesToObject(parsed.entries), { ...dotenv.parse(text) });
    assertExactRanges(text, parsed);
    assert.equal(parsed.entries[1]!.rawValue, '"x\r\ny"');
    assert.deepEqual(parsed.entries[2]!.range.start, { line: 3, character: 0 });
    assert.equal(parsed.eol, '\r\n');
    assert.equal(parsed.hasBom, true);
    assert.deepEqual(codes(text), ['bom@1', 'crlf@1', 'missing-final-newline@4']);
  });

  it('reports lines dotenv skips, with stable codes and no values in messages', () => {
    const text = 'GOOD=1\nNOEQUALS sk_live_secretlooking\nbad key=secretvalue\nexport ONLY\nYAML:novalue\n# comment\n\n';
    const parsed = parseEnv(text);
    assert.deepEqual(codes(text), ['no-equals@2', 'invalid-key@3', 'no-equals@4', 'invalid-key@5']);
    for (const p of parsed.problems) assert.ok(!/secret/.test(p.message), p.message);
  });

  it('flags surprising reads', () => {
    assert.deepEqual(codes('A=abc#def\n'), ['hash-in-value@1']);
    assert.deepEqual(codes('A="open\n'), ['unterminated-quote@1']);
    assert.deepEqual(codes('A="x" y\n'), ['text-after-quote@1']);
    assert.deepEqual(codes('A = b\n'), ['spaces-around-equals@1']);
    assert.deepEqual(codes('A=b c\n'), ['unquoted-spaces@1']);
    assert.deepEqual(codes('a=1\n'), ['lowercase-key@1']);
    assert.deepEqual(codes('A: 1\n'), ['colon-separator@1']);
    assert.deepEqual(codes('__proto__=1\n'), ['reserved-key@1']);
    assert.deepEqual(codes('A=1 \n'), ['trailing-whitespace@1']);
    assert.deepEqual(codes('A\n=1\n'), ['entry-spans-lines@1']);
    assert.deepEqual(codes('A=\n"swallowed"\n'), ['entry-spans-lines@1']);
    assert.deepEqual(codes('A=1\nB=2\nA=3\n'), ['duplicate-key@1']);
    assert.deepEqual(codes('A="x  \ny"\n'), [], 'trailing blanks inside a quoted value are part of the value');
    assert.deepEqual(codes('A=1 # fine\nB= # empty\n'), []);
  });

  it('reads the value after a blank line-spanning `=` exactly as dotenv does', () => {
    for (const text of ['A=\n\'x\'\n', 'A\n\n=1\n', 'export\nA=1\n', 'A=\nB=2\n', 'A:\nvalue\n', "A='it\\'s' ok'\n"]) {
      assert.deepEqual(entriesToObject(parseEnv(text).entries), { ...dotenv.parse(text) }, JSON.stringify(text));
    }
  });

  it('handles empty input and whitespace-only input', () => {
    assert.deepEqual(parseEnv('').entries, []);
    assert.deepEqual(parseEnv('').problems, []);
    assert.deepEqual(parseEnv(' \n\t\n').entries, []);
  });

  it('exposes the inline comment of an entry', () => {
    const { entries } = parseEnv('A=1 # note\nB="x" #q\nC=3\n# own line\n');
    assert.equal(entries[0]!.inlineComment?.text, '# note');
    assert.deepEqual(entries[0]!.inlineComment?.range.start, { line: 0, character: 4 });
    assert.equal(entries[1]!.inlineComment?.text, '#q');
    assert.equal(entries[2]!.inlineComment, undefined, 'a comment on the next line is not inline');
  });

  it('serialises entries as plain data', () => {
    const [e] = parseEnv('A=1\n').entries;
    const json = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
    assert.equal(json.key, 'A');
    assert.deepEqual(json.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } });
  });
});
