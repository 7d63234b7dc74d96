import * as assert from 'node:assert/strict';
import { envReadAt, envReadDialect, envReadsIn, keyCompletionContext } from '../../../../src/core/consumers/envReads';

/** The read at the first occurrence of `marker` in `text` (cursor one character into it). */
function at(text: string, marker: string, dialect = envReadDialect('typescript')!) {
  const i = text.indexOf(marker);
  assert.ok(i >= 0, marker);
  return envReadAt(text, i + 1, dialect);
}

describe('core/consumers/envReads', () => {
  // Accessor forms from each platform's documentation (Node, Vite, Python os, Ruby ENV, Go os, PHP, Compose).
  it('recognizes the key under the cursor in every documented accessor', () => {
    assert.deepEqual(at('const t = process.env.API_TOKEN.trim();', 'API_TOKEN'), { key: 'API_TOKEN', start: 22, end: 31, accessor: 'process.env.API_TOKEN' });
    assert.equal(at('const u = import.meta.env.VITE_API_URL', 'VITE_API_URL')?.accessor, 'import.meta.env.VITE_API_URL');
    assert.equal(at("x = process.env['DB_URL']", 'DB_URL')?.key, 'DB_URL');
    const py = envReadDialect('python')!;
    assert.equal(at('key = os.environ["STRIPE_KEY"]', 'STRIPE_KEY', py)?.key, 'STRIPE_KEY');
    assert.equal(at("key = os.getenv('STRIPE_KEY', None)", 'STRIPE_KEY', py)?.key, 'STRIPE_KEY');
    assert.equal(at('key = os.environ.get("STRIPE_KEY")', 'STRIPE_KEY', py)?.key, 'STRIPE_KEY');
    assert.equal(at('token = ENV["GITHUB_TOKEN"]', 'GITHUB_TOKEN', envReadDialect('ruby'))?.key, 'GITHUB_TOKEN');
    assert.equal(at('s := os.Getenv("SESSION_SECRET")', 'SESSION_SECRET', envReadDialect('go'))?.key, 'SESSION_SECRET');
    assert.equal(at("$k = getenv('APP_KEY');", 'APP_KEY', envReadDialect('php'))?.key, 'APP_KEY');
    const yaml = envReadDialect('yaml')!;
    assert.equal(at('      POSTGRES_PASSWORD: ${DB_PASSWORD:-secret}', 'DB_PASSWORD', yaml)?.key, 'DB_PASSWORD');
    assert.equal(at('psql "$DATABASE_URL"', 'DATABASE_URL', envReadDialect('shellscript'))?.key, 'DATABASE_URL');
  });

  it('says nothing where no environment is read', () => {
    assert.equal(at('const API_TOKEN = config.API_TOKEN;', 'API_TOKEN'), undefined);
    assert.equal(at('const s = `${API_TOKEN}`', 'API_TOKEN'), undefined, 'a JS template literal is not a shell read');
    assert.equal(at('process.env.API_TOKEN', 'process'), undefined);
    assert.equal(at('DB_PASSWORD=x', 'DB_PASSWORD', envReadDialect('shellscript')), undefined, 'an assignment is not a read');
    assert.equal(envReadDialect('markdown'), undefined);
  });

  it('lists every read in a file', () => {
    const text = 'const a = process.env.A_KEY;\nconst b = process.env["B_KEY"];\nconst c = other.C_KEY;\nconst d = import.meta.env.D_KEY;\n';
    assert.deepEqual(envReadsIn(text, 'code').map((r) => r.key), ['A_KEY', 'B_KEY', 'D_KEY']);
    assert.deepEqual(envReadsIn('image: app\nenvironment:\n  - TOKEN=${API_TOKEN}\n  - $$NOT_OURS\n', 'shell').map((r) => r.key), ['API_TOKEN']);
  });

  it('knows where a key name is being typed', () => {
    assert.deepEqual(keyCompletionContext('const x = process.env.', 'code'), { prefix: '' });
    assert.deepEqual(keyCompletionContext('const x = process.env.API_', 'code'), { prefix: 'API_' });
    assert.deepEqual(keyCompletionContext('x = os.environ["ST', 'code'), { prefix: 'ST', quote: '"' });
    assert.deepEqual(keyCompletionContext("x = os.getenv('", 'code'), { prefix: '', quote: "'" });
    assert.deepEqual(keyCompletionContext('t = ENV["', 'code'), { prefix: '', quote: '"' });
    assert.deepEqual(keyCompletionContext('  PASSWORD: ${DB_', 'shell'), { prefix: 'DB_' });
    assert.equal(keyCompletionContext('const x = process.', 'code'), undefined);
    assert.equal(keyCompletionContext('x = os.environ["A"] + ', 'code'), undefined);
  });
});
