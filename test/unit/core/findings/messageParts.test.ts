import * as assert from 'node:assert/strict';
import { splitMessage } from '../../../../src/core/findings/messageParts';

describe('core/findings/messageParts', () => {
  it('keeps one line without backticks and moves the advice to the detail', () => {
    assert.deepEqual(splitMessage('Unquoted value with spaces: dotenv keeps them, but a shell `source` splits the value. Quote it.'), {
      summary: 'Unquoted value with spaces: dotenv keeps them, but a shell source splits the value.',
      detail: 'Quote it.',
    });
    assert.deepEqual(splitMessage('`KEY` is defined again on line 4; dotenv uses the last definition.'), { summary: 'KEY is defined again on line 4; dotenv uses the last definition.' });
  });
  it('does not split inside abbreviations or versions, and joins lines', () => {
    assert.deepEqual(splitMessage('Use a tool, e.g. openssl v1.2 for this'), { summary: 'Use a tool, e.g. openssl v1.2 for this' });
    assert.deepEqual(splitMessage('first\nline'), { summary: 'first line' });
    assert.equal(splitMessage('a ` b').summary.includes('`'), false);
  });
});
