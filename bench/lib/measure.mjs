// Whole-process timing for `npm run bench`: every side of a comparison is a shell command line run
// by `bash -c`, so a rekey command and a git pipeline pay the same launcher cost. Wall time is
// taken around the bash process; CPU time is bash's `times` for its children (user + system of
// every process of the command, pipelines included), which is what getrusage(RUSAGE_CHILDREN)
// reports. Output goes to /dev/null on every side.
import { spawn } from 'node:child_process';

/** Quotes one word for sh. */
export function sh(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${String(word).replace(/'/g, `'\\''`)}'`;
}

/** A command line from words (already-quoted pieces such as pipes go in as `{ raw }`). */
export function cmd(...parts) {
  return parts.map((p) => (typeof p === 'object' ? p.raw : sh(p))).join(' ');
}

const CHILD_TIMES = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s\s*$/;

/**
 * Runs `line` once. Resolves `{ wallMs, cpuMs, code, stderr }`.
 * @param {string} line
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 */
export function runOnce(line, options = {}) {
  return new Promise((resolve, reject) => {
    const script = `{ ${line}\n} >/dev/null 2>&4; rekey_rc=$?; times >&3; exit $rekey_rc`;
    const t0 = process.hrtime.bigint();
    const child = spawn('bash', ['-c', script], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    let times = '';
    let stderr = '';
    child.stdio[3].on('data', (d) => (times += d));
    child.stdio[4].on('data', (d) => {
      if (stderr.length < 4096) stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const m = CHILD_TIMES.exec(times.trim());
      const cpuMs = m ? (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000 : NaN;
      resolve({ wallMs, cpuMs, code, stderr });
    });
  });
}

/** Median, quartiles and range of `xs`. */
export function stats(xs) {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const q = (p) => {
    if (!s.length) return NaN;
    const i = (s.length - 1) * p;
    const lo = Math.floor(i);
    const hi = Math.ceil(i);
    return s[lo] + (s[hi] - s[lo]) * (i - lo);
  };
  return { n: s.length, median: q(0.5), q1: q(0.25), q3: q(0.75), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

/**
 * Paired, interleaved runs: one discarded warm-up of each side, then `runs` rounds of A B (C …) in
 * the same order, so load changes during the bench hit every side alike.
 * @param {{ name: string, line: string, cwd?: string, env?: NodeJS.ProcessEnv, okCodes?: number[] }[]} sides
 * @param {{ runs: number, warmup?: number, onRound?: (i: number) => void }} options
 * @returns {Promise<Record<string, { wall: ReturnType<typeof stats>, cpu: ReturnType<typeof stats>, samples: { wallMs: number, cpuMs: number }[] }>>}
 */
export async function compare(sides, options) {
  const samples = Object.fromEntries(sides.map((s) => [s.name, []]));
  const warmup = options.warmup ?? 1;
  for (let round = -warmup; round < options.runs; round++) {
    for (const side of sides) {
      const r = await runOnce(side.line, side);
      const ok = side.okCodes ?? [0];
      if (!ok.includes(r.code)) {
        throw new Error(`${side.name} exited ${r.code}: ${side.line}\n${r.stderr.split('\n').slice(0, 5).join('\n')}`);
      }
      if (round >= 0) samples[side.name].push({ wallMs: r.wallMs, cpuMs: r.cpuMs });
    }
    options.onRound?.(round);
  }
  return Object.fromEntries(
    sides.map((s) => [s.name, { wall: stats(samples[s.name].map((x) => x.wallMs)), cpu: stats(samples[s.name].map((x) => x.cpuMs)), samples: samples[s.name] }]),
  );
}
