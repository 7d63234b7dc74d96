import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as dotenv from 'dotenv';
import { parseEnv } from '../../../../src/core/env/parse';
import { listFiles, sharedDir } from '../../../helpers/shared';
import { assertExactRanges, entriesToObject } from './parseHelpers';

describe('parseEnv on the public parse corpora', () => {
  const root = path.join(sharedDir(), 'corpus', 'parse');
  const files = listFiles(root);

  it('finds the corpus', () => {
    assert.ok(files.length >= 15, `expected the parse corpus, found ${files.length} files`);
  });

  for (const file of files) {
    const name = path.relative(root, file);
    it(`reads ${name} exactly as dotenv.parse does, with exact ranges`, () => {
      const text = readFileSync(file, 'utf8');
      const parsed = parseEnv(text);
      assert.deepEqual(entriesToObject(parsed.entries), { ...dotenv.parse(text) });
      assertExactRanges(text, parsed);
    });
  }
});
