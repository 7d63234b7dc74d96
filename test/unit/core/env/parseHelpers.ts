import * as assert from 'node:assert/strict';
import type { EnvEntry, ParsedEnv } from '../../../../src/core/env/types';
import { LineIndex } from '../../../../src/core/text/lineIndex';

/** The map dotenv would build: plain object, assignment order, last duplicate wins. */
export function entriesToObject(entries: EnvEntry[]): Record<string, string> {
  const obj: Record<string, string> = {};
  for (const e of entries) obj[e.key] = e.value;
  return { ...obj };
}

/** Every range slices back to the text it claims to cover. */
export function assertExactRanges(text: string, parsed: ParsedEnv): void {
  const lines = new LineIndex(text);
  for (const e of parsed.entries) {
    const v = lines.offsetAt(e.valueRange.start);
    const ve = lines.offsetAt(e.valueRange.end);
    assert.equal(text.slice(v, ve), e.rawValue, `value range of ${e.key}`);
    assert.equal(v, e.valueStart);
    assert.equal(ve, e.valueEnd);
    const k = lines.offsetAt(e.keyRange.start);
    assert.equal(text.slice(k, lines.offsetAt(e.keyRange.end)), e.key, `key range of ${e.key}`);
    assert.equal(lines.offsetAt(e.range.start), e.start);
    assert.equal(lines.offsetAt(e.range.end), e.end);
    assert.ok(e.start <= e.keyStart && e.keyStart < e.end && e.valueEnd <= e.end, `entry range of ${e.key} covers key and value`);
  }
}
