import { strict as assert } from 'node:assert';
import { parseEnv } from '../../../../src/core/env/parse';
import { findLinkedEntries, referencesKey, type LinkSearchFile } from '../../../../src/core/rotation/linked';
import type { EnvFileRole } from '../../../../src/core/workspace/envFileNames';

const PW = 'Xq7vR2mK9pL4sT8wZ3nB6cD1';

function file(p: string, text: string, role: EnvFileRole = 'env'): LinkSearchFile {
  return { path: p, role, text, parsed: parseEnv(text) };
}

function target(f: LinkSearchFile, key: string, secret: string) {
  const entry = f.parsed.entries.filter((e) => e.key === key).pop()!;
  return { file: f.path, entry, secret };
}

describe('rotation/linked', () => {
  const env = file(
    '/w/.env',
    [
      `POSTGRES_PASSWORD=${PW}`,
      `DATABASE_URL=postgres://app:${PW}@db:5432/app`,
      `QUOTED_URL="postgresql://app:${PW}@replica:5432/app"`,
      'MIGRATION_URL=${DATABASE_URL}',
      'PG_PASS_REF=${POSTGRES_PASSWORD:-fallback}',
      "LITERAL='${POSTGRES_PASSWORD}'",
      `SAME_AGAIN=${PW}`,
      'OTHER=unrelated',
      '',
    ].join('\n'),
  );
  const other = file('/w/services/report/.env', `REPORT_DB_PASSWORD=${PW}\n`);
  const example = file('/w/.env.example', `POSTGRES_PASSWORD=${PW}\nDATABASE_URL=\${POSTGRES_PASSWORD}\n`, 'template');
  const backup = file('/w/.env.backup', `POSTGRES_PASSWORD=${PW}\n`, 'backup');

  it('finds URL passwords, equal values, references, and skips backups', () => {
    const links = findLinkedEntries(target(env, 'POSTGRES_PASSWORD', PW), [env, other, example, backup]);
    const summary = links.map((l) => `${l.file}:${l.line + 1} ${l.key} ${l.relation} ${l.action}`);
    assert.deepEqual(summary, [
      '/w/.env:2 DATABASE_URL url-password rewrite',
      '/w/.env:3 QUOTED_URL url-password rewrite',
      '/w/.env:5 PG_PASS_REF reference follows',
      '/w/.env:6 LITERAL reference review',
      '/w/.env:7 SAME_AGAIN same-value rewrite',
      '/w/.env.example:1 POSTGRES_PASSWORD same-value review',
      '/w/services/report/.env:1 REPORT_DB_PASSWORD same-value rewrite',
    ]);
    const url = links.find((l) => l.key === 'DATABASE_URL')!;
    const entry = env.parsed.entries.find((e) => e.key === 'DATABASE_URL')!;
    assert.equal(entry.value.slice(url.span.start, url.span.end), PW);
    assert.equal(url.valueStart, entry.valueStart);
    for (const l of links) assert.ok(!l.description.includes(PW));
  });

  it('a URL holding the password percent-encoded counts too (compared decoded)', () => {
    const f = file('/w/.env', `A=${PW}!/\nB="redis://:${encodeURIComponent(PW + '!/')}@r:6379"\n`);
    assert.deepEqual(findLinkedEntries(target(f, 'A', `${PW}!/`), [f]).map((l) => l.relation), ['url-password']);
  });

  it('rotating the URL links the plain password and references to the URL', () => {
    const links = findLinkedEntries(target(env, 'DATABASE_URL', PW), [env]);
    assert.deepEqual(
      links.map((l) => `${l.key} ${l.relation} ${l.action}`),
      ['POSTGRES_PASSWORD same-value rewrite', 'QUOTED_URL url-password rewrite', 'MIGRATION_URL reference follows', 'SAME_AGAIN same-value rewrite'],
    );
  });

  it('short values are not rewritten by mere equality', () => {
    const f = file('/w/.env', 'POSTGRES_USER=postgres\nPOSTGRES_PASSWORD=postgres\nDATABASE_URL=postgres://postgres:postgres@db/app\n');
    const links = findLinkedEntries(target(f, 'POSTGRES_PASSWORD', 'postgres'), [f]);
    assert.deepEqual(links.map((l) => `${l.key} ${l.relation} ${l.action}`), ['POSTGRES_USER same-value review', 'DATABASE_URL url-password rewrite']);
  });

  it('referencesKey follows dotenv-expand forms and escapes', () => {
    assert.ok(referencesKey('${KEY}', 'KEY'));
    assert.ok(referencesKey('x$KEY/y', 'KEY'));
    assert.ok(referencesKey('${KEY:-d}', 'KEY'));
    assert.ok(!referencesKey('\\${KEY}', 'KEY'));
    assert.ok(!referencesKey('$KEYS', 'KEY'));
    assert.ok(!referencesKey('KEY', 'KEY'));
  });
});
