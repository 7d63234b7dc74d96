import { strict as assert } from 'node:assert';
import { parse as dotenvParse } from 'dotenv';
import fc from 'fast-check';
import { serializeEnvValue, UnwritableValueError } from '../../../../src/core/env/serialize';

describe('rotation/serializeValue', () => {
  it('keeps the preferred quoting when dotenv reads it back', () => {
    assert.equal(serializeEnvValue('abc123', 'none'), 'abc123');
    assert.equal(serializeEnvValue('abc123', 'double'), '"abc123"');
    assert.equal(serializeEnvValue('abc123', 'single'), "'abc123'");
  });

  it('adds quotes where an unquoted value would change', () => {
    assert.equal(serializeEnvValue('a#b', 'none'), "'a#b'");
    assert.equal(serializeEnvValue(' padded ', 'none'), "' padded '");
    assert.equal(serializeEnvValue("it's", 'single'), "it's");
    assert.equal(serializeEnvValue('line1\nline2', 'none'), '"line1\\nline2"');
  });

  it('throws a value-free error when nothing reads back', () => {
    const v = `'"\`\n\\n`;
    assert.throws(() => serializeEnvValue(v), (e: unknown) => e instanceof UnwritableValueError && !(e).message.includes('\\n'));
  });

  it('property: whatever it returns, dotenv.parse reads back the exact value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('none', 'single', 'double', 'backtick' as const), (value, quote) => {
        let raw: string;
        try {
          raw = serializeEnvValue(value, quote);
        } catch (e) {
          return e instanceof UnwritableValueError;
        }
        return dotenvParse(`K=${raw}\n`).K === value;
      }),
      { numRuns: 500 },
    );
  });
});
