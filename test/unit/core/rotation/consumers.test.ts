import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { findConsumers, prefetchConsumerScan, type ConsumerScan } from '../../../../src/core/rotation/consumers';
import { listWorkspaceFiles } from '../../../../src/core/workspace/workspaceFiles';
import { at, git, makeWorkspace, type Workspace } from './rotationWorkspace';

function summary(ws: Workspace, scan: ConsumerScan): string[] {
  return scan.consumers.map((c) => `${at(ws.root, c.file, c.line)} ${c.service ?? '-'} ${c.role} ${c.key} ${c.via}`);
}

const POSTGRES_PASSWORD_CONSUMERS = [
  'docker-compose.yml:4 app app POSTGRES_PASSWORD compose-env-file',
  'docker-compose.yml:4 worker worker POSTGRES_PASSWORD compose-env-file',
  'docker-compose.yml:12 postgres source POSTGRES_PASSWORD compose-environment',
  'docker-compose.yml:45 backup cron POSTGRES_PASSWORD compose-interpolation',
  'scripts/backup.sh:4 backup cron POSTGRES_PASSWORD shell',
];

describe('rotation/consumers', () => {
  let ws: Workspace;
  before(() => {
    ws = makeWorkspace('compose-stack', 'shop');
  });
  after(() => ws.cleanup());

  it('compose stack: every service that gets POSTGRES_PASSWORD, with line, service and role', async () => {
    const scan = await findConsumers({ workspaceRoot: ws.root, key: 'POSTGRES_PASSWORD', envFile: path.join(ws.root, '.env'), trusted: true });
    assert.deepEqual(summary(ws, scan), POSTGRES_PASSWORD_CONSUMERS);
    // Columns point at the key (or the env_file path).
    const pg = scan.consumers.find((c) => c.service === 'postgres')!;
    assert.equal(pg.column, 6);
    assert.deepEqual(scan.services.map((s) => s.name), ['postgres', 'redis', 'app', 'worker', 'backup', 'cron']);
    assert.deepEqual(scan.services.find((s) => s.name === 'worker')?.dependsOn, ['postgres', 'redis', 'app']);
    assert.equal(scan.services.find((s) => s.name === 'app')?.buildContext, ws.root);
  });

  it('linked keys: consumers of DATABASE_URL (code, cron script, CI secret) come along', async () => {
    const scan = await findConsumers({
      workspaceRoot: ws.root, key: 'POSTGRES_PASSWORD', envFile: path.join(ws.root, '.env'), trusted: true,
      linkedKeys: [{ key: 'DATABASE_URL', envFile: path.join(ws.root, '.env') }],
    });
    assert.deepEqual(summary(ws, scan), [
      '.github/workflows/deploy.yml:13 - ci DATABASE_URL ci-secret',
      ...POSTGRES_PASSWORD_CONSUMERS.slice(0, 4),
      'docker-compose.yml:57 cron cron DATABASE_URL compose-environment',
      'scripts/backup.sh:4 backup cron POSTGRES_PASSWORD shell',
      'scripts/cleanup.sh:4 cron cron DATABASE_URL shell',
      'src/db.js:5 app app DATABASE_URL code',
      'src/db.js:5 worker worker DATABASE_URL code',
      'src/worker.js:4 worker worker DATABASE_URL code',
    ]);
  });

  it('a prefetched search for the rotated key alone still finds the linked key\'s consumers', async () => {
    const prefetched = prefetchConsumerScan(ws.root, ['POSTGRES_PASSWORD'], { trusted: true });
    const scan = await findConsumers({
      workspaceRoot: ws.root, key: 'POSTGRES_PASSWORD', envFile: path.join(ws.root, '.env'), trusted: true, prefetched,
      linkedKeys: [{ key: 'DATABASE_URL', envFile: path.join(ws.root, '.env') }],
    });
    assert.deepEqual(summary(ws, scan), [
      '.github/workflows/deploy.yml:13 - ci DATABASE_URL ci-secret',
      ...POSTGRES_PASSWORD_CONSUMERS.slice(0, 4),
      'docker-compose.yml:57 cron cron DATABASE_URL compose-environment',
      'scripts/backup.sh:4 backup cron POSTGRES_PASSWORD shell',
      'scripts/cleanup.sh:4 cron cron DATABASE_URL shell',
      'src/db.js:5 app app DATABASE_URL code',
      'src/db.js:5 worker worker DATABASE_URL code',
      'src/worker.js:4 worker worker DATABASE_URL code',
    ]);
    // Without linked keys the prefetched search is the whole answer.
    const alone = await findConsumers({ workspaceRoot: ws.root, key: 'POSTGRES_PASSWORD', envFile: path.join(ws.root, '.env'), trusted: true, prefetched: prefetchConsumerScan(ws.root, ['POSTGRES_PASSWORD'], { trusted: true }) });
    assert.deepEqual(summary(ws, alone), POSTGRES_PASSWORD_CONSUMERS);
  });

  it('honours .gitignore and skips node_modules, with and without git', async () => {
    const withGit = await listWorkspaceFiles(ws.root, { trusted: true });
    const withoutGit = await listWorkspaceFiles(ws.root, { trusted: false });
    for (const list of [withGit, withoutGit]) {
      const rels = list.map((f) => path.relative(ws.root, f).split(path.sep).join('/'));
      assert.ok(rels.includes('docker-compose.yml'));
      assert.ok(rels.includes('scripts/backup.sh'));
      assert.ok(!rels.some((r) => r.startsWith('node_modules/') || r.startsWith('tmp/')), rels.join(','));
      assert.ok(!rels.includes('.env'));
    }
    const untrusted = await findConsumers({ workspaceRoot: ws.root, key: 'POSTGRES_PASSWORD', envFile: path.join(ws.root, '.env'), trusted: false });
    assert.deepEqual(summary(ws, untrusted), POSTGRES_PASSWORD_CONSUMERS);
  });

  it('reads only the files git grep names, with the same consumers as reading every file (tracked or not)', async () => {
    const linked = { workspaceRoot: ws.root, key: 'POSTGRES_PASSWORD', envFile: path.join(ws.root, '.env'), linkedKeys: [{ key: 'DATABASE_URL', envFile: path.join(ws.root, '.env') }] };
    const walked = await findConsumers({ ...linked, trusted: false });
    const untracked = await findConsumers({ ...linked, trusted: true });
    assert.deepEqual(summary(ws, untracked), summary(ws, walked));
    assert.deepEqual(untracked.authUses, walked.authUses);
    assert.equal(untracked.filesListed, walked.filesListed);
    // Only files that mention a key, and compose files, are read.
    assert.ok(untracked.filesRead < untracked.filesListed, `${untracked.filesRead} of ${untracked.filesListed}`);
    const committed = makeWorkspace('compose-stack', 'shop');
    try {
      git(committed.root, 'add', '-A');
      git(committed.root, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'init');
      const tracked = await findConsumers({ ...linked, workspaceRoot: committed.root, envFile: path.join(committed.root, '.env'), linkedKeys: [{ key: 'DATABASE_URL', envFile: path.join(committed.root, '.env') }], trusted: true });
      assert.deepEqual(summary(committed, tracked), summary(ws, walked));
    } finally {
      committed.cleanup();
    }
  });

  it('a GIT_DIR inherited from a hook does not redirect the listing', async () => {
    const other = makeWorkspace('nextjs-auth', 'other');
    const saved = process.env.GIT_DIR;
    process.env.GIT_DIR = path.join(other.root, '.git');
    try {
      const files = await listWorkspaceFiles(ws.root, { trusted: true });
      assert.ok(files.includes(path.join(ws.root, 'docker-compose.yml')));
      assert.ok(!files.some((f) => f.includes('middleware')));
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
      other.cleanup();
    }
  });

  it('a datastore handed the whole .env does not use unrelated keys (incidental)', async () => {
    const w = makeWorkspace('compose-stack', 'incidental');
    try {
      writeFileSync(path.join(w.root, 'compose.yaml'), 'services:\n  db:\n    image: postgres:16\n    env_file: .env\n  web:\n    image: ghcr.io/acme/web:1\n    env_file: [.env]\n');
      const scan = await findConsumers({ workspaceRoot: w.root, key: 'SESSION_SECRET', envFile: path.join(w.root, '.env'), trusted: true });
      const compose = scan.consumers.filter((c) => c.file.endsWith('compose.yaml')).map((c) => `${c.service} ${c.role}`);
      assert.deepEqual(compose, ['db incidental', 'web app']);
      const pw = await findConsumers({ workspaceRoot: w.root, key: 'POSTGRES_PASSWORD', envFile: path.join(w.root, '.env'), trusted: true });
      assert.deepEqual(pw.consumers.filter((c) => c.file.endsWith('compose.yaml')).map((c) => `${c.service} ${c.role}`), ['db source', 'web app']);
    } finally {
      w.cleanup();
    }
  });

  it('Next.js app: the auth library secret, by package folder', async () => {
    const w = makeWorkspace('nextjs-auth', 'dashboard');
    try {
      const scan = await findConsumers({ workspaceRoot: w.root, key: 'DASHBOARD_SECRET', envFile: path.join(w.root, '.env.local'), trusted: true });
      assert.deepEqual(
        scan.consumers.map((c) => `${at(w.root, c.file, c.line)} ${c.service} ${c.role} ${c.detail} ${c.authLibrary ?? ''}`.trim()),
        [
          "src/app/api/session/route.js:6 dashboard app process.env['DASHBOARD_SECRET']",
          'src/lib/auth.js:5 dashboard app process.env.DASHBOARD_SECRET better-auth',
        ],
      );
      assert.deepEqual(scan.authUses.map((u) => `${at(w.root, u.file, u.line)} ${u.library}`), ['src/lib/auth.js:5 better-auth']);
    } finally {
      w.cleanup();
    }
  });

  it('Dockerfile, systemd, Kubernetes and crontab consumers, with their services', async () => {
    const w = makeWorkspace('compose-stack', 'ops');
    try {
      writeFileSync(path.join(w.root, 'Dockerfile'), 'FROM node:20\nARG SESSION_SECRET\nENV SESSION_SECRET=$SESSION_SECRET\n');
      mkdirSync(path.join(w.root, 'deploy', 'systemd'), { recursive: true });
      writeFileSync(path.join(w.root, 'deploy', 'systemd', 'shop-worker.service'), '[Service]\nEnvironmentFile=/srv/shop/.env\nExecStart=/usr/bin/node src/worker.js\n');
      mkdirSync(path.join(w.root, 'deploy', 'k8s'), { recursive: true });
      writeFileSync(
        path.join(w.root, 'deploy', 'k8s', 'api.yaml'),
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop-api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: SESSION_SECRET\n              valueFrom:\n                secretKeyRef: { name: shop, key: SESSION_SECRET }\n',
      );
      writeFileSync(path.join(w.root, 'ops', 'crontab'), 'SESSION_SECRET=copied-by-hand\n*/15 * * * * /scripts/cleanup.sh\n');
      const scan = await findConsumers({ workspaceRoot: w.root, key: 'SESSION_SECRET', envFile: path.join(w.root, '.env'), trusted: true });
      assert.deepEqual(
        scan.consumers.map((c) => `${at(w.root, c.file, c.line)} ${c.service ?? '-'} ${c.role} ${c.via}${c.copy ? ' copy' : ''}`),
        [
          'Dockerfile:2 app app dockerfile',
          'Dockerfile:2 worker worker dockerfile',
          'Dockerfile:3 app app dockerfile copy',
          'Dockerfile:3 worker worker dockerfile copy',
          'deploy/k8s/api.yaml:11 shop-api app kubernetes',
          'deploy/systemd/shop-worker.service:2 shop-worker worker systemd',
          'docker-compose.yml:4 app app compose-env-file',
          'docker-compose.yml:4 worker worker compose-env-file',
          'ops/crontab:1 cron cron crontab copy',
          'src/server.js:8 app app code',
        ],
      );
    } finally {
      w.cleanup();
    }
  });

  it('a broken compose file still yields its ${KEY} references, with a warning', async () => {
    const w = makeWorkspace('compose-stack', 'broken');
    try {
      writeFileSync(path.join(w.root, 'docker-compose.yml'), 'services:\n  app:\n    environment:\n      - X=${SESSION_SECRET}\n   bad: [\n');
      const scan = await findConsumers({ workspaceRoot: w.root, key: 'SESSION_SECRET', envFile: path.join(w.root, '.env'), trusted: true });
      assert.ok(scan.consumers.some((c) => c.file.endsWith('docker-compose.yml') && c.line === 3 && c.service === undefined));
      assert.match(scan.warnings.join('\n'), /docker-compose\.yml: YAML error/);
    } finally {
      w.cleanup();
    }
  });
});
