import { strict as assert } from 'node:assert';
import { KIND_IDS } from '../../../../src/core/catalog/types';
import {
  describeFormat,
  formatLength,
  formatSpec,
  FormatSpecError,
  generateValue,
  inferFormat,
  parseFormatSpec,
  ProviderIssuedError,
  shapeOf,
  type ValueFormat,
} from '../../../../src/core/rotation/generate';

const SPECS: Array<[string, RegExp]> = [
  ['hex:32', /^[0-9a-f]{64}$/],
  ['base64:64', /^[A-Za-z0-9+/]{86}==$/],
  ['base64url:48', /^[A-Za-z0-9_-]{64}$/],
  ['alnum:24', /^[A-Za-z0-9]{24}$/],
  ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/],
];

describe('rotation/generate', () => {
  describe('format specs', () => {
    for (const [spec, re] of SPECS) {
      it(`${spec}: shape, length, round trip, never repeats`, () => {
        const format = parseFormatSpec(spec);
        assert.equal(formatSpec(format), spec);
        const a = generateValue(format);
        const b = generateValue(format);
        assert.match(a, re);
        assert.equal(a.length, formatLength(format));
        assert.notEqual(a, b);
      });
    }

    it('rejects what it cannot read, with the accepted forms in the message', () => {
      for (const bad of ['hex', 'hex:0', 'hex:-1', 'sha:32', 'alnum:99999', 'base64:3.5', '']) {
        assert.throws(() => parseFormatSpec(bad), (e: unknown) => e instanceof FormatSpecError && /hex:BYTES/.test((e).message), bad);
      }
    });

    it('accepts upper case and spaces around the spec', () => {
      assert.deepEqual(parseFormatSpec(' HEX:16 '), { type: 'hex', bytes: 16 });
    });
  });

  it('alnum is unbiased: every character appears about equally often', () => {
    const counts = new Map<string, number>();
    const sample = generateValue({ type: 'alnum', length: 62 * 400 });
    for (const c of sample) counts.set(c, (counts.get(c) ?? 0) + 1);
    assert.equal(counts.size, 62);
    // Expected 400 each; a modulo bias on 256 values would push the first 8 characters to ~500.
    for (const [c, n] of counts) assert.ok(n > 280 && n < 540, `${c}: ${n}`);
  });

  it('unpadded base64, upper-case hex and prefixes are kept', () => {
    const v = generateValue({ type: 'base64', bytes: 32, padded: false });
    assert.match(v, /^[A-Za-z0-9+/]{43}$/);
    assert.match(generateValue({ type: 'hex', bytes: 8, upper: true }), /^[0-9A-F]{16}$/);
    assert.match(generateValue({ type: 'base64', bytes: 32, prefix: 'base64:' }), /^base64:[A-Za-z0-9+/]{43}=$/);
  });

  it('provider-issued formats cannot be generated', () => {
    assert.throws(() => generateValue({ type: 'provider' }), ProviderIssuedError);
  });

  it('many values in a row are all distinct', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(generateValue({ type: 'alnum', length: 16 }));
    assert.equal(seen.size, 2000);
  });

  describe('shapeOf', () => {
    const cases: Array<[string, ValueFormat | undefined]> = [
      ['3f8a9c0d1e2b4a5f6c7d8e9fa0b1c2d3', { type: 'hex', bytes: 16 }],
      ['3F8A9C0D1E2B4A5F6C7D8E9FA0B1C2D3', { type: 'hex', bytes: 16, upper: true }],
      ['q83vEjRWeJCrze8SNFZ4kA==', { type: 'base64', bytes: 16 }],
      ['q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=', { type: 'base64', bytes: 32 }],
      ['q8+vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA', { type: 'base64', bytes: 32, padded: false }],
      ['base64:q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=', { type: 'base64', bytes: 32, prefix: 'base64:' }],
      ['q8-vEjRWeJCrze8SNF_4kKvN7xI0VniQq83vEjRWeJA', { type: 'base64url', bytes: 32 }],
      ['4b0a8f52-1c7e-4f0e-9d2a-6c3b5e8f9a01', { type: 'uuid' }],
      ['Xq7vR2mK9pL4sT8wZ3nB6cD1', { type: 'alnum', length: 24 }],
      ['sk_live_51HcGx2eZvKYlo2C', undefined],
      ['correct horse battery', undefined],
      ['p@ss!word#1', undefined],
      ['', undefined],
    ];
    for (const [value, expected] of cases) {
      it(`${value || '(empty)'}`, () => assert.deepEqual(shapeOf(value), expected));
    }
  });

  describe('inferFormat', () => {
    it('keeps the shape of a strong current value', () => {
      assert.deepEqual(inferFormat('3f8a9c0d1e2b4a5f6c7d8e9fa0b1c2d3a0b1c2d3e4f56789aabbccddeeff0011', 'session-signing').format, { type: 'hex', bytes: 32 });
      assert.equal(inferFormat('Xq7vR2mK9pL4sT8wZ3nB6cD1', 'generic-secret').from, 'current-value');
    });

    it('falls back to the kind default for weak or unreadable values', () => {
      const weak = inferFormat('changeme', 'session-signing');
      assert.equal(weak.from, 'kind-default');
      assert.deepEqual(weak.format, { type: 'base64', bytes: 64 });
      assert.match(weak.reason, /bits/);
      assert.deepEqual(inferFormat('p@ss w0rd!', 'database-password').format, { type: 'alnum', length: 32 });
      assert.doesNotMatch(weak.reason, /changeme/);
    });

    it('encryption keys: 32 bytes in the current encoding, or the decoded size when it is a key size', () => {
      assert.deepEqual(inferFormat('q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=', 'encryption-key').format, { type: 'base64', bytes: 32 });
      assert.deepEqual(inferFormat('3f8a9c0d1e2b4a5f6c7d8e9fa0b1c2d3', 'encryption-key').format, { type: 'hex', bytes: 16 });
      // 20 bytes is no AES key size: the encoding stays, the size becomes 32.
      assert.deepEqual(inferFormat('3f8a9c0d1e2b4a5f6c7d8e9fa0b1c2d3a0b1c2d3', 'encryption-key').format, { type: 'hex', bytes: 32 });
      assert.deepEqual(inferFormat('not a key', 'encryption-key').format, { type: 'hex', bytes: 32 });
    });

    it('passwords stay URL-safe: a base64 password becomes letters and digits', () => {
      const r = inferFormat('q8+vEjRWeJCrze8SNFZ4kKvN7xI0VniQ/83vEjRWeJA=', 'database-password');
      assert.deepEqual(r.format, { type: 'alnum', length: 44 });
      assert.match(generateValue(r.format), /^[A-Za-z0-9]{44}$/);
    });

    it('provider-issued kinds are not generated', () => {
      for (const kind of ['api-token', 'cloud-access-key', 'smtp-password', 'private-key'] as const) {
        assert.equal(inferFormat('whatever-value-1234567890', kind).format.type, 'provider');
      }
    });

    it('every kind yields a format and a value-free description', () => {
      for (const kind of KIND_IDS) {
        const r = inferFormat('Zm9vYmFyYmF6cXV4cXV1eA', kind);
        assert.ok(describeFormat(r.format).length > 0);
        assert.doesNotMatch(r.reason + describeFormat(r.format), /Zm9vYmFy/);
      }
    });
  });
});
