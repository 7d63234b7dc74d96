/*
 * Rotation benchmark: how long `planRotation` takes on a monorepo-sized workspace (the consumer
 * scan reads every candidate file that mentions the key), and how fast values are generated.
 *
 * The workspace is synthetic and deterministic: FILES source files spread over PACKAGES packages,
 * one in twenty reading the rotated key, a compose file per package, Dockerfiles, CI workflows,
 * a dozen .env files, plus a node_modules tree that must be skipped. It lives in bench/.data and
 * is made once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateValue } from '../src/core/rotation/generate';
import { planRotation } from '../src/core/rotation/plan';

const FILES = Number(process.env.BENCH_FILES ?? 20_000);
const PACKAGES = 40;
const root = path.join(__dirname, '.data', `rotation-${FILES}`);

function write(rel: string, text: string): void {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, text);
}

function makeWorkspace(): void {
  if (existsSync(path.join(root, '.done'))) return;
  rmSync(root, { recursive: true, force: true });
  write('.gitignore', '.env\n**/.env\nnode_modules/\n');
  write('.env', 'POSTGRES_PASSWORD=Xq7vR2mK9pL4sT8wZ3nB6cD1aa\nDATABASE_URL=postgres://app:Xq7vR2mK9pL4sT8wZ3nB6cD1aa@db:5432/app\nSESSION_SECRET=' + 'A'.repeat(86) + '==\n');
  for (let p = 0; p < PACKAGES; p++) {
    const pkg = `packages/svc${p}`;
    write(`${pkg}/package.json`, `{"name":"svc${p}"}\n`);
    write(`${pkg}/Dockerfile`, 'FROM node:20\nCOPY . .\nCMD ["node","index.js"]\n');
    write(`${pkg}/docker-compose.yml`, `services:\n  svc${p}:\n    build: .\n    env_file: ../../.env\n  svc${p}-worker:\n    build: .\n    command: node worker.js\n    environment:\n      DATABASE_URL: \${DATABASE_URL}\n`);
    if (p % 4 === 0) write(`${pkg}/.env`, `SVC_DB_PASSWORD=Xq7vR2mK9pL4sT8wZ3nB6cD1aa\nOTHER_${p}=x\n`);
  }
  for (let i = 0; i < FILES; i++) {
    const p = i % PACKAGES;
    const reads = i % 20 === 0 ? 'const url = process.env.DATABASE_URL;\n' : '';
    write(`packages/svc${p}/src/module${i}.ts`, `${reads}export function f${i}(x: number): number {\n  return x * ${i};\n}\n`.repeat(3));
  }
  for (let i = 0; i < 2000; i++) write(`node_modules/dep${i % 50}/lib/file${i}.js`, 'module.exports = process.env.DATABASE_URL;\n');
  write('.github/workflows/deploy.yml', 'jobs:\n  deploy:\n    env:\n      DATABASE_URL: ${{ secrets.DATABASE_URL }}\n');
  execFileSync('git', ['init', '-q'], { cwd: root });
  writeFileSync(path.join(root, '.done'), '');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function time(label: string, runs: number, fn: () => unknown): Promise<void> {
  await fn(); // warm-up (and file system cache)
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(`${label.padEnd(58)} median ${median(samples).toFixed(1).padStart(8)} ms  (min ${Math.min(...samples).toFixed(1)}, ${runs} runs)`);
}

async function main(): Promise<void> {
  makeWorkspace();
  console.log(`workspace: ${FILES} source files in ${PACKAGES} packages, ${root}`);
  let consumers = 0;
  await time('planRotation POSTGRES_PASSWORD (git ls-files)', 5, async () => {
    const p = await planRotation({ workspaceRoot: root, file: '.env', key: 'POSTGRES_PASSWORD', options: { trusted: true } });
    consumers = p.consumers.length;
  });
  await time('planRotation POSTGRES_PASSWORD (untrusted: .gitignore walk)', 5, () =>
    planRotation({ workspaceRoot: root, file: '.env', key: 'POSTGRES_PASSWORD', options: { trusted: false } }),
  );
  await time('planRotation without the consumer scan', 5, () =>
    planRotation({ workspaceRoot: root, file: '.env', key: 'POSTGRES_PASSWORD', options: { skipConsumers: true } }),
  );
  await time('generateValue alnum:32 x 10 000', 5, () => {
    for (let i = 0; i < 10_000; i++) generateValue({ type: 'alnum', length: 32 });
  });
  await time('generateValue base64:64 x 10 000', 5, () => {
    for (let i = 0; i < 10_000; i++) generateValue({ type: 'base64', bytes: 64 });
  });
  console.log(`consumers found: ${consumers}`);
}

void main();
