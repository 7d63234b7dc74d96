import * as assert from 'node:assert/strict';
import { parseRotatedDate, readRotatedAnnotation } from '../../../../src/core/age/rotatedAnnotation';
import { parseEnv } from '../../../../src/core/env/parse';

function annotationOf(text: string, key: string): string | undefined {
  const entry = parseEnv(text).entries.find((e) => e.key === key);
  assert.ok(entry);
  const a = readRotatedAnnotation(text, entry);
  return a ? `${a.date.toISOString()}@${a.line}` : undefined;
}

describe('rotated annotation', () => {
  it('reads "# rotated: DATE" directly above the entry', () => {
    assert.equal(annotationOf('A=1\n# rotated: 2026-08-01\nK=v\n', 'K'), '2026-08-01T00:00:00.000Z@1');
  });

  it('reads it anywhere in the comment block above, case-insensitively, with times and zones', () => {
    assert.equal(annotationOf('# Session signing\n# Rotated=2026-08-01T14:30:00+02:00 by ops\n# owner: web\nK=v\n', 'K'), '2026-08-01T12:30:00.000Z@1');
    assert.equal(annotationOf('# rotated: 2026-08-01 09:15Z\r\nK=v\r\n', 'K'), '2026-08-01T09:15:00.000Z@0');
    assert.equal(annotationOf('  # rotated: 2026-08-01\n  export K=v\n', 'K'), '2026-08-01T00:00:00.000Z@0');
  });

  it('ignores annotations separated by a blank line or another entry, and impossible dates', () => {
    assert.equal(annotationOf('# rotated: 2026-08-01\n\nK=v\n', 'K'), undefined);
    assert.equal(annotationOf('# rotated: 2026-08-01\nA=1\nK=v\n', 'K'), undefined);
    assert.equal(annotationOf('# rotated: 2026-02-30\nK=v\n', 'K'), undefined);
    assert.equal(annotationOf('# not rotated yet\nK=v\n', 'K'), undefined);
    assert.equal(annotationOf('K=v\n', 'K'), undefined);
  });

  it('parses bare dates', () => {
    assert.equal(parseRotatedDate('2026-08-01')?.toISOString(), '2026-08-01T00:00:00.000Z');
    assert.equal(parseRotatedDate('2026-13-01'), undefined);
    assert.equal(parseRotatedDate('yesterday'), undefined);
  });
});
