import { strict as assert } from 'node:assert';
import { cli } from '../../helpers/cli';
import { makeWorkspace, type Workspace } from '../core/rotation/rotationWorkspace';

describe('cli generate', () => {
  let ws: Workspace;
  before(() => {
    ws = makeWorkspace('compose-stack', 'shop', { git: false });
  });
  after(() => ws.cleanup());

  const cases: Array<[string[], RegExp]> = [
    [['--format', 'hex:32'], /^[0-9a-f]{64}\n$/],
    [['--format', 'base64:64'], /^[A-Za-z0-9+/]{86}==\n$/],
    [['--format', 'base64url:48'], /^[A-Za-z0-9_-]{64}\n$/],
    [['--format', 'alnum:24'], /^[A-Za-z0-9]{24}\n$/],
    [['--format', 'uuid'], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n$/],
    [['--kind', 'session-signing'], /^[A-Za-z0-9+/]{86}==\n$/],
    [['--kind', 'database-password'], /^[A-Za-z0-9]{32}\n$/],
    [['--like', 'SESSION_SECRET'], /^[A-Za-z0-9+/]{86}==\n$/],
    [['--like', 'APP_ENCRYPTION_KEY', '--file', '.env'], /^[0-9a-f]{64}\n$/],
    [['--like', 'DATABASE_URL'], /^[A-Za-z0-9]{27}\n$/],
    [[], /^[A-Za-z0-9_-]{43}\n$/],
  ];
  for (const [args, re] of cases) {
    it(`${args.join(' ') || '(no option)'}: one fresh value, different every time`, async () => {
      const a = await cli(['generate', ...args], ws.root);
      const b = await cli(['generate', ...args], ws.root);
      assert.equal(a.code, 0, a.stderr);
      assert.match(a.stdout, re);
      assert.notEqual(a.stdout, b.stdout);
      assert.equal(a.stderr, '');
    });
  }

  it('refuses conflicting options, unknown formats, provider kinds and unknown keys', async () => {
    for (const [args, re] of [
      [['--kind', 'pepper', '--format', 'hex:32'], /only one of --kind, --like and --format/],
      [['--format', 'hex:0'], /between 1 and/],
      [['--format', 'rot13:5'], /unknown format/],
      [['--kind', 'api-token'], /issued by its provider/],
      [['--like', 'NOPE'], /NOPE is not defined/],
      [['--file', '.env'], /--file only goes with --like/],
    ] as Array<[string[], RegExp]>) {
      const r = await cli(['generate', ...args], ws.root);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
    }
  });
});
