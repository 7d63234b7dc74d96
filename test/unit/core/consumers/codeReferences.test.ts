import { strict as assert } from 'node:assert';
import { findCodeReferences, findShellReferences } from '../../../../src/core/consumers/codeReferences';
import {
  findCiReferences,
  findDockerfileReferences,
  findKubernetesReferences,
  findSystemdReferences,
} from '../../../../src/core/rotation/configReferences';

const K = 'API_SECRET';

/** The 1-based line of each reference, with its description. */
function lines(text: string, refs: Array<{ offset: number; detail: string }>): string[] {
  return refs.map((r) => `${text.slice(0, r.offset).split('\n').length} ${r.detail}`);
}

describe('rotation/codeReferences', () => {
  const cases: Array<[string, string, string]> = [
    ['node dot', 'const s = process.env.API_SECRET;', 'process.env.API_SECRET'],
    ['node optional chaining', 'const s = process.env?.API_SECRET;', 'process.env.API_SECRET'],
    ['node brackets', 'const s = process.env["API_SECRET"];', 'process.env["API_SECRET"]'],
    ['vite', 'const s = import.meta.env.API_SECRET;', 'import.meta.env.API_SECRET'],
    ['deno', "const s = Deno.env.get('API_SECRET');", "Deno.env.get('API_SECRET')"],
    ['python environ', "s = os.environ['API_SECRET']", "os.environ['API_SECRET']"],
    ['python environ.get', 's = os.environ.get("API_SECRET", "")', 'os.environ.get("API_SECRET")'],
    ['python getenv', "s = os.getenv('API_SECRET')", "os.getenv('API_SECRET')"],
    ['ruby ENV[]', "s = ENV['API_SECRET']", "ENV['API_SECRET']"],
    ['ruby fetch', 's = ENV.fetch("API_SECRET")', 'ENV.fetch("API_SECRET")'],
    ['java', 'String s = System.getenv("API_SECRET");', 'System.getenv("API_SECRET")'],
    ['laravel', "'secret' => env('API_SECRET'),", "env('API_SECRET')"],
    ['go', 's := os.Getenv("API_SECRET")', 'os.Getenv("API_SECRET")'],
    ['rust', 'let s = std::env::var("API_SECRET")?;', 'std::env::var("API_SECRET")'],
    ['php getenv', "$s = getenv('API_SECRET');", "getenv('API_SECRET')"],
    ['php $_ENV', "$s = $_ENV['API_SECRET'];", "$_ENV['API_SECRET']"],
    ['c#', 'var s = Environment.GetEnvironmentVariable("API_SECRET");', 'Environment.GetEnvironmentVariable("API_SECRET")'],
    ['elixir', 'secret = System.get_env("API_SECRET")', 'System.get_env("API_SECRET")'],
  ];
  for (const [name, code, detail] of cases) {
    it(name, () => assert.deepEqual(lines(code, findCodeReferences(code, K)), [`1 ${detail}`]));
  }

  it('destructuring across lines, with renames and defaults', () => {
    const code = 'const {\n  PORT = 3000,\n  API_SECRET: secret,\n  OTHER,\n} = process.env;\n';
    assert.deepEqual(lines(code, findCodeReferences(code, K)), ['3 const { API_SECRET } = process.env']);
  });

  it('ignores longer names, mismatched quotes, comments-free text and other objects', () => {
    const code = [
      'process.env.API_SECRET_OLD;',
      "process.env['API_SECRET\";",
      'config.API_SECRET;',
      'const API_SECRET = 1;',
      "myenv('API_SECRET')",
      'other.getenv("API_SECRET")',
    ].join('\n');
    assert.deepEqual(findCodeReferences(code, K), []);
  });

  it('shell: $KEY, ${KEY}, ${KEY:-x}; assignments are copies; escapes are not references', () => {
    const sh = ['psql "$API_SECRET"', 'echo ${API_SECRET:-none}', 'export API_SECRET=hardcoded', 'echo \\$API_SECRET', 'echo $API_SECRETS'].join('\n');
    const refs = findShellReferences(sh, K, { assignments: true });
    assert.deepEqual(lines(sh, refs), ['1 $API_SECRET', '2 ${API_SECRET}', '3 API_SECRET=…']);
    assert.equal(refs[2]?.sets, true);
  });
});

describe('rotation/configReferences', () => {
  it('Dockerfile: ENV is a baked-in copy, ARG a build argument, $KEY a use', () => {
    const df = ['FROM node:20', 'ARG API_SECRET', 'ENV NODE_ENV=production API_SECRET=$API_SECRET', 'RUN echo ${API_SECRET} > /dev/null', 'ENV API_SECRET_FILE=/run/secret'].join('\n');
    const refs = findDockerfileReferences(df, K);
    assert.deepEqual(lines(df, refs), ['2 ARG API_SECRET (build argument)', '3 ENV API_SECRET=… (baked into the image)', '3 $API_SECRET', '4 ${API_SECRET}']);
    assert.equal(refs[1]?.sets, true);
  });

  it('GitHub Actions and GitLab CI', () => {
    const gh = ['jobs:', '  deploy:', '    env:', '      API_SECRET: ${{ secrets.API_SECRET }}', '    steps:', '      - run: curl -H "X: $API_SECRET" https://x', '      - run: echo ${{ env.API_SECRET }}'].join('\n');
    const refs = findCiReferences(gh, K);
    assert.deepEqual(lines(gh, refs), ['4 ${{ secrets.API_SECRET }}', '6 $API_SECRET', '7 ${{ env.API_SECRET }}']);
    assert.equal(refs[0]?.store, 'secret');
    const gl = ['deploy:', '  script:', '    - ./deploy.sh --token "${API_SECRET}"'].join('\n');
    assert.deepEqual(lines(gl, findCiReferences(gl, K)), ['3 ${API_SECRET}']);
  });

  it('Kubernetes: env names and secretKeyRef keys, with the workload', () => {
    const k8s = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: api',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: api',
      '          env:',
      '            - name: API_SECRET',
      '              valueFrom:',
      '                secretKeyRef:',
      '                  name: api-secrets',
      '                  key: API_SECRET',
      '---',
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata:',
      '  name: nightly-report',
      'spec:',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      '          containers:',
      '            - name: report',
      '              args: ["--token", "$(API_SECRET)"]',
    ].join('\n');
    const refs = findKubernetesReferences(k8s, K);
    assert.deepEqual(
      refs.map((r) => `${k8s.slice(0, r.offset).split('\n').length} ${r.workload?.kind} ${r.workload?.name}`),
      ['11 Deployment api', '15 Deployment api', '28 CronJob nightly-report'],
    );
  });

  it('systemd: Environment= copies, EnvironmentFile= pointing at the file, ${KEY} in ExecStart', () => {
    const unit = ['[Service]', 'EnvironmentFile=-/srv/app/.env', 'Environment="API_SECRET=inline" "OTHER=1"', 'ExecStart=/usr/bin/app --secret ${API_SECRET}'].join('\n');
    const refs = findSystemdReferences(unit, K, (p) => p.endsWith('/.env'));
    assert.deepEqual(lines(unit, refs), ['2 EnvironmentFile=/srv/app/.env', '3 Environment=API_SECRET=… (a copy in the unit file)', '4 ${API_SECRET}']);
    assert.deepEqual(findSystemdReferences(unit, 'NOPE', () => false), []);
  });
});
