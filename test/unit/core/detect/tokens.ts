/*
 * Random values for the detection tests that need a secret-looking value of a given alphabet
 * (names, entropy, never-leak canaries). Provider formats are not built here: their examples
 * are data in test/fixtures/detect/formats, written from public documentation.
 */
export type SampleAlphabet = 'alnum' | 'hex' | 'HEX' | 'lower' | 'upper' | 'alpha' | 'digits' | 'b64' | 'b64url' | 'base32' | 'bech32';
export type SampleRandom = (alphabet: SampleAlphabet, length: number) => string;

const ALPHABETS: Record<SampleAlphabet, string> = {
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  hex: '0123456789abcdef',
  HEX: '0123456789ABCDEF',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  digits: '0123456789',
  b64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  b64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  base32: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
  bech32: 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L',
};

/** A seeded random source (mulberry32) in the shape provider samples take. */
export function sampleRandom(seed = 7): SampleRandom {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (alphabet, n) => {
    const chars = ALPHABETS[alphabet];
    let s = '';
    for (let i = 0; i < n; i++) s += chars[Math.floor(next() * chars.length)];
    return s;
  };
}

/** Joins parts: `token('sk', 'live', body)` → `sk_live_<body>`, keeping prefixes out of the source. */
export function token(...parts: string[]): string {
  return parts.join('_');
}

/** A random-looking secret of `n` characters from `alphabet`. */
export function randomSecret(n = 40, alphabet: SampleAlphabet = 'alnum', seed = 11): string {
  return sampleRandom(seed)(alphabet, n);
}

/** A value that must never appear in any output: a marker plus random characters. */
export function canary(seed = 99): string {
  return `CANARY${sampleRandom(seed)('alnum', 34)}`;
}
