import { strict as assert } from 'node:assert';
import type { ComposeService } from '../../../../src/core/rotation/composeFile';
import type { Consumer } from '../../../../src/core/rotation/consumers';
import { buildRestartOrder } from '../../../../src/core/rotation/restartOrder';

const ROOT = '/w';
const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };

function consumer(c: Partial<Consumer> & Pick<Consumer, 'role' | 'via'>): Consumer {
  return { key: 'K', file: '/w/docker-compose.yml', line: 0, column: 0, range, detail: 'x', ...c };
}

function service(name: string, extra: Partial<ComposeService> = {}): ComposeService {
  return { name, file: '/w/docker-compose.yml', offset: 0, dependsOn: [], envFiles: [], mounts: [], ...extra };
}

describe('rotation/restartOrder', () => {
  it('source, app, workers, cron, then CI; depends_on breaks ties; incidental consumers are left out', () => {
    const services = [
      service('db', { image: 'postgres:16' }),
      service('web', { dependsOn: ['db', 'api'] }),
      service('api', { dependsOn: ['db'] }),
      service('queue-worker'),
      service('nightly-backup'),
      service('cache', { image: 'redis:7' }),
    ];
    const consumers = [
      consumer({ service: 'nightly-backup', role: 'cron', via: 'compose-interpolation' }),
      consumer({ service: 'web', role: 'app', via: 'compose-env-file' }),
      consumer({ service: 'queue-worker', role: 'worker', via: 'compose-env-file' }),
      consumer({ file: '/w/.github/workflows/deploy.yml', role: 'ci', via: 'ci-secret' }),
      consumer({ service: 'api', role: 'app', via: 'compose-env-file' }),
      consumer({ service: 'db', role: 'source', via: 'compose-environment' }),
      consumer({ service: 'cache', role: 'incidental', via: 'compose-env-file' }),
      consumer({ service: 'api', role: 'app', via: 'code', file: '/w/src/api.ts' }),
    ];
    const steps = buildRestartOrder(consumers, services, ROOT, 'K');
    assert.deepEqual(
      steps.map((s) => `${s.order} ${s.name} ${s.role}`),
      ['1 db source', '2 api app', '3 web app', '4 queue-worker worker', '5 nightly-backup cron', '6 .github/workflows/deploy.yml ci'],
    );
    assert.match(steps[0]!.action, /change the credential inside db \(PostgreSQL\)/);
    assert.equal(steps[1]!.action, 'docker compose up -d --no-deps api');
    assert.deepEqual(steps[1]!.files, ['/w/docker-compose.yml', '/w/src/api.ts']);
    assert.match(steps[5]!.action, /update the CI secret K/);
  });

  it('a URL host that is a compose service leads as the source', () => {
    const steps = buildRestartOrder([consumer({ service: 'app', role: 'app', via: 'compose-env-file' })], [service('app'), service('postgres', { image: 'postgres' })], ROOT, 'K', { sources: ['postgres'] });
    assert.deepEqual(steps.map((s) => `${s.name} ${s.role}`), ['postgres source', 'app app']);
  });

  it('non-default compose files, Kubernetes, systemd, crontabs, scripts and baked images', () => {
    const services = [service('app', { file: '/w/deploy/docker-compose.prod.yml' })];
    const steps = buildRestartOrder(
      [
        consumer({ service: 'app', role: 'app', via: 'dockerfile', copy: true, file: '/w/Dockerfile' }),
        consumer({ service: 'shop-api', role: 'app', via: 'kubernetes', detail: 'env: - name: K (Deployment shop-api)' }),
        consumer({ service: 'report', role: 'cron', via: 'kubernetes', detail: 'env: - name: K (CronJob report)' }),
        consumer({ service: 'shop-worker', role: 'worker', via: 'systemd', file: '/w/deploy/shop-worker.service' }),
        consumer({ role: 'cron', via: 'crontab', file: '/w/ops/crontab' }),
        consumer({ role: 'cron', via: 'shell', file: '/w/scripts/sync.sh' }),
      ],
      services,
      ROOT,
      'K',
    );
    assert.deepEqual(
      steps.map((s) => `${s.name}: ${s.action}`),
      [
        'app: docker compose -f deploy/docker-compose.prod.yml up -d --no-deps --build app',
        'shop-api: kubectl rollout restart deployment/shop-api',
        'shop-worker.service: sudo systemctl restart shop-worker.service',
        'ops/crontab: cron starts each job with the environment it is given; run the job from ops/crontab once by hand',
        'report: update the Secret; the next report run picks it up',
        'scripts/sync.sh: run scripts/sync.sh once by hand and check that it authenticates',
      ],
    );
    assert.match(steps[0]!.note ?? '', /bakes K in with ENV/);
  });

  it('no consumers: no steps', () => {
    assert.deepEqual(buildRestartOrder([], [], ROOT, 'K'), []);
  });
});
