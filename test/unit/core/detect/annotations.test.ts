import * as assert from 'node:assert/strict';
import { parseAnnotationComment, parseInterval, parseIsoDate, readAnnotations } from '../../../../src/core/detect/annotations';
import { parseEnv } from '../../../../src/core/env/parse';

function annotationsOf(text: string, key: string) {
  const entry = parseEnv(text).entries.find((e) => e.key === key);
  assert.ok(entry);
  return readAnnotations(text, entry);
}

describe('annotations', () => {
  it('reads kind, interval and rotation date from the comment block directly above', () => {
    const text = '# Signs better-auth sessions.\n# rekey: kind=session-signing rotate=30d\n# rotated: 2024-05-01\nPROXYOS_SECRET=x\n';
    assert.deepEqual(annotationsOf(text, 'PROXYOS_SECRET'), { kind: 'session-signing', intervalDays: 30, rotated: '2024-05-01' });
  });

  it('reads an inline rotation date and rekey-ignore', () => {
    assert.deepEqual(annotationsOf('A=1 # rotated: 2023-12-31\n', 'A'), { rotated: '2023-12-31' });
    assert.deepEqual(annotationsOf('# rekey-ignore: fixture\nA=1\n', 'A'), { ignore: true });
    assert.deepEqual(annotationsOf('# rekey: not-secret\nA=1\n', 'A'), { ignore: true });
  });

  it('prefers the nearest comment and stops at a blank line or an entry', () => {
    assert.equal(annotationsOf('# rekey: rotate=90d\n# rekey: rotate=7d\nA=1\n', 'A').intervalDays, 7);
    assert.deepEqual(annotationsOf('# rekey: kind=pepper\n\nA=1\n', 'A'), {});
    assert.deepEqual(annotationsOf('# rekey: kind=pepper\nB=2\nA=1\n', 'A'), {});
    assert.deepEqual(annotationsOf('# rekey: kind=pepper\r\nA=1\r\n', 'A'), { kind: 'pepper' });
  });

  it('reports unreadable annotations as problems instead of guessing', () => {
    const a = annotationsOf('# rekey: kind=sessions rotate=soon colour=blue\n# rotated: 2024-02-30\nA=1\n', 'A');
    assert.equal(a.kind, undefined);
    assert.equal(a.intervalDays, undefined);
    assert.equal(a.rotated, undefined);
    assert.equal(a.problems?.length, 4);
  });

  it('parses intervals and dates', () => {
    assert.equal(parseInterval('30d'), 30);
    assert.equal(parseInterval('12w'), 84);
    assert.equal(parseInterval('6m'), 180);
    assert.equal(parseInterval('1y'), 365);
    assert.equal(parseInterval('90'), 90);
    assert.equal(parseInterval('0d'), undefined);
    assert.equal(parseInterval('-3d'), undefined);
    assert.equal(parseInterval('soon'), undefined);
    assert.equal(parseIsoDate('2024-02-29'), '2024-02-29');
    assert.equal(parseIsoDate('2023-02-29'), undefined);
    assert.equal(parseIsoDate('2024-5-1'), undefined);
  });

  it('ignores ordinary comments', () => {
    const into = {};
    assert.equal(parseAnnotationComment(' Database settings', into), false);
    assert.deepEqual(into, {});
  });

  it('returns an object the caller may modify', () => {
    const a = annotationsOf('A=1\n', 'A');
    a.kind = 'pepper';
    assert.deepEqual(annotationsOf('A=1\n', 'A'), {});
  });
});
