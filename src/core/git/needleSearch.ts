/** Bytes per sampled window: two 32-bit reads. */
const K = 8;
/** Needles shorter than this are searched one by one with `Buffer.indexOf`. */
const SAMPLED_MIN = 12;

/**
 * Finds every occurrence of many byte strings in large buffers at once.
 *
 * Searching each needle with `Buffer.indexOf` costs one pass over the text per needle. Here every
 * `K`-byte window of every needle is indexed in a hash table, and the text is probed only every
 * `step` bytes, with `step = shortest needle - K + 1`: any occurrence of a needle of length `n`
 * covers `n - K + 1` consecutive window starts, so it contains at least one probed window. A probe
 * that hits is verified byte for byte. For the 10-100 secrets of a workspace, most 20+ characters
 * long, this reads each text byte about `1/step` times instead of once per needle.
 */
export class NeedleSearch {
  private readonly needles: Buffer[];
  private readonly short: number[] = [];
  private readonly step: number;
  private readonly mask: number;
  private readonly head: Int32Array;
  private readonly next: number[] = [];
  private readonly entryNeedle: number[] = [];
  private readonly entryOffset: number[] = [];
  private readonly entryLo: number[] = [];
  private readonly entryHi: number[] = [];
  /** Non-zero for the first two bytes of every indexed window: most probes stop at this test. */
  private readonly pairs = new Uint8Array(1 << 16);

  constructor(needles: Buffer[]) {
    this.needles = needles;
    const long: number[] = [];
    needles.forEach((n, i) => {
      if (n.length >= SAMPLED_MIN) long.push(i);
      else if (n.length > 0) this.short.push(i);
    });
    const minLong = long.length ? Math.min(...long.map((i) => (needles[i] as Buffer).length)) : K;
    this.step = Math.max(1, minLong - K + 1);
    let windows = 0;
    for (const i of long) windows += (needles[i] as Buffer).length - K + 1;
    let bits = 10;
    while (1 << bits < windows * 8 && bits < 22) bits++;
    this.mask = (1 << bits) - 1;
    this.head = new Int32Array(1 << bits).fill(-1);
    for (const i of long) {
      const n = needles[i] as Buffer;
      for (let o = 0; o + K <= n.length; o++) {
        const lo = n.readUInt32LE(o);
        const hi = n.readUInt32LE(o + 4);
        this.pairs[(n[o] as number) | ((n[o + 1] as number) << 8)] = 1;
        const b = bucket(lo, hi) & this.mask;
        this.entryNeedle.push(i);
        this.entryOffset.push(o);
        this.entryLo.push(lo);
        this.entryHi.push(hi);
        this.next.push(this.head[b] as number);
        this.head[b] = this.next.length - 1;
      }
    }
  }

  /** Calls `onHit(needleIndex, start)` once for every occurrence in `buf` (in no particular order). */
  scan(buf: Buffer, onHit: (needle: number, start: number) => void): void {
    for (const i of this.short) {
      const n = this.needles[i] as Buffer;
      for (let p = buf.indexOf(n); p !== -1; p = buf.indexOf(n, p + 1)) onHit(i, p);
    }
    if (this.next.length === 0) return;
    const len = buf.length;
    const { head, mask, step, next, entryLo, entryHi, entryNeedle, entryOffset, needles, pairs } = this;
    let seen: Set<number> | undefined;
    for (let p = 0; p + K <= len; p += step) {
      if (pairs[(buf[p] as number) | ((buf[p + 1] as number) << 8)] === 0) continue;
      // Byte reads instead of readUInt32LE: no bounds checks, and V8 keeps them in registers.
      const lo = ((buf[p] as number) | ((buf[p + 1] as number) << 8) | ((buf[p + 2] as number) << 16) | ((buf[p + 3] as number) << 24)) >>> 0;
      const hi = ((buf[p + 4] as number) | ((buf[p + 5] as number) << 8) | ((buf[p + 6] as number) << 16) | ((buf[p + 7] as number) << 24)) >>> 0;
      let e = head[bucket(lo, hi) & mask] as number;
      for (; e !== -1; e = next[e] as number) {
        if (entryLo[e] !== lo || entryHi[e] !== hi) continue;
        const i = entryNeedle[e] as number;
        const n = needles[i] as Buffer;
        const start = p - (entryOffset[e] as number);
        if (start < 0 || start + n.length > len) continue;
        if (buf.compare(n, 0, n.length, start, start + n.length) !== 0) continue;
        // A needle at least 2*step+K-1 long is probed more than once per occurrence.
        const id = start * needles.length + i;
        seen ??= new Set();
        if (seen.has(id)) continue;
        seen.add(id);
        onHit(i, start);
      }
    }
  }
}

function bucket(lo: number, hi: number): number {
  return (Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi ^ (lo >>> 15), 0x85ebca77)) >>> 0;
}
