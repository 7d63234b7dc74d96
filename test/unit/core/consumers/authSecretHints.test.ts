import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { authSecretUses, findAuthSecretHints } from '../../../../src/core/consumers/authSecretHints';
import { git, makeWorkspace } from '../backup/gitRepo';

function keys(text: string, lang: 'js' | 'py' | 'rb' | 'go'): string[] {
  return authSecretUses(text, lang).map((u) => `${u.key}@${u.line + 1}:${u.consumer}`);
}

describe('authSecretUses', () => {
  it('better-auth: betterAuth({ secret: process.env.X })', () => {
    const src = `import { betterAuth } from "better-auth";\nexport const auth = betterAuth({\n  database: db,\n  secret: process.env.PROXYOS_SECRET,\n});\n`;
    assert.deepEqual(keys(src, 'js'), ['PROXYOS_SECRET@4:better-auth']);
  });

  it('NextAuth / Auth.js, Lucia, express-session, iron-session, fastify, passport-jwt', () => {
    const cases: Array<[string, string]> = [
      [`import NextAuth from 'next-auth';\nexport default NextAuth({ providers: [], secret: process.env.NEXTAUTH_SECRET_X });`, 'NEXTAUTH_SECRET_X@2:NextAuth/Auth.js'],
      [`import { Auth } from '@auth/core';\nconst config = { secret: import.meta.env.AUTHJS_KEY };`, 'AUTHJS_KEY@2:NextAuth/Auth.js'],
      [`import { Lucia } from 'lucia';\nnew Lucia(adapter, { secret: process.env['LUCIA_KEY'] });`, 'LUCIA_KEY@2:Lucia'],
      [`const session = require('express-session');\napp.use(session({\n  resave: false,\n  secret: process.env.SESS_KEY!,\n}));`, 'SESS_KEY@4:express-session'],
      [`import { getIronSession } from 'iron-session';\nconst s = await getIronSession(c, { password: process.env.IRON_PW as string, cookieName: 'x' });`, 'IRON_PW@2:iron-session'],
      [`import fastifyJwt from '@fastify/jwt';\nfastify.register(fastifyJwt, { secret: process.env.FJWT });`, 'FJWT@2:fastify'],
      [`import secureSession from '@fastify/secure-session';\nfastify.register(secureSession, { key: Buffer.from(process.env.SS_KEY, 'hex') });`, 'SS_KEY@2:fastify secure-session'],
      [`const { Strategy } = require('passport-jwt');\nnew Strategy({ secretOrKey: process.env.PJWT }, verify);`, 'PJWT@2:passport-jwt'],
      [`import cookieSession from 'cookie-session';\napp.use(cookieSession({ keys: [process.env.CS_KEY] }));`, 'CS_KEY@2:cookie-session'],
    ];
    for (const [src, expected] of cases) assert.deepEqual(keys(src, 'js'), [expected], src);
  });

  it('cookie-parser, jsonwebtoken sign/verify, jose, Koa keys: by call shape', () => {
    const src = [
      `app.use(cookieParser(process.env.COOKIE_SECRET));`,
      `const token = jwt.sign({ sub: user.id, role: 'admin' }, process.env.JWT_SIGN, { expiresIn: '1h' });`,
      `jwt.verify(token, process.env["JWT_VERIFY"]);`,
      `app.keys = [process.env.KOA_KEY];`,
    ].join('\n');
    assert.deepEqual(keys(src, 'js'), ['COOKIE_SECRET@1:cookie-parser', 'JWT_SIGN@2:jsonwebtoken', 'JWT_VERIFY@3:jsonwebtoken', 'KOA_KEY@4:Koa']);
    assert.deepEqual(keys(`import { SignJWT } from 'jose';\nconst key = new TextEncoder().encode(process.env.JOSE_SECRET);`, 'js'), ['JOSE_SECRET@2:jose']);
  });

  it('follows a variable and shorthand properties within the file', () => {
    const src = `import { betterAuth } from 'better-auth';\nconst secret = process.env.SHORT_SECRET;\nexport const auth = betterAuth({ secret, baseURL });\nconst k: string = process.env.VAR_SECRET!;\njwt.sign(payload, k);\n`;
    assert.deepEqual(keys(src, 'js').sort(), ['SHORT_SECRET@3:better-auth', 'VAR_SECRET@5:jsonwebtoken']);
  });

  it('does not count secrets of unrelated objects or files without an auth library', () => {
    assert.deepEqual(keys(`const webhooks = new Webhooks({ secret: process.env.GH_HOOK });`, 'js'), []);
    assert.deepEqual(keys(`import session from 'express-session';\nconst webhooks = new Webhooks({ secret: process.env.GH_HOOK });\nconst pool = createPool({ password: process.env.DB_PW });`, 'js'), []);
    assert.deepEqual(keys(`import { betterAuth } from 'better-auth';\nbetterAuth({ secret: process.env.STRIPE_WEBHOOK_SECRET });`, 'js'), []);
    assert.deepEqual(keys(`const x = { secret: process.env.NOT_AUTH };`, 'js'), []);
  });

  it('Django, Flask, Rails and Go', () => {
    assert.deepEqual(keys(`SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\napp.secret_key = os.getenv('FLASK_KEY')\napp.config['SECRET_KEY'] = os.environ.get("FLASK_CFG", "x")\nDB = os.environ["DATABASE_URL"]`, 'py'), [
      'DJANGO_SECRET_KEY@1:Django/Flask', 'FLASK_KEY@2:Flask', 'FLASK_CFG@3:Django/Flask',
    ]);
    assert.deepEqual(keys(`SECRET_KEY = env("ENVIRON_KEY")`, 'py'), ['ENVIRON_KEY@1:Django/Flask']);
    assert.deepEqual(keys(`config.secret_key_base = ENV.fetch("RAILS_SKB") { "dev" }\nx = ENV["OTHER"]`, 'rb'), ['RAILS_SKB@1:Rails']);
    assert.deepEqual(keys(`import "github.com/gorilla/sessions"\nvar store = sessions.NewCookieStore([]byte(os.Getenv("SESSION_KEY")))`, 'go'), ['SESSION_KEY@2:gorilla/sessions']);
    assert.deepEqual(keys(`import "github.com/golang-jwt/jwt/v5"\nvar jwtKey = []byte(os.Getenv("GO_JWT"))`, 'go'), ['GO_JWT@2:Go JWT/sessions']);
    assert.deepEqual(keys(`var b = []byte(os.Getenv("NOT_JWT"))`, 'go'), []);
  });
});

describe('findAuthSecretHints', () => {
  it('scans source files, skipping dependencies, ignored files and huge files', async () => {
    const auth = (key: string) => `import { betterAuth } from 'better-auth';\nexport const auth = betterAuth({ secret: process.env.${key} });\n`;
    const dir = makeWorkspace({
      'src/auth.ts': auth('PROXYOS_SECRET'),
      'src/server.py': 'SECRET_KEY = os.environ["PY_SECRET"]\n',
      'node_modules/lib/index.js': auth('IN_NODE_MODULES'),
      'dist/bundle.js': auth('IN_IGNORED_DIST'),
      'big/huge.js': auth('IN_HUGE_FILE') + '//' + 'x'.repeat(1024 * 1024) + '\n',
      'README.md': auth('IN_MARKDOWN'),
      '.gitignore': 'dist/\n',
    });
    for (const trusted of [false, true]) {
      if (trusted) git(dir, 'init', '-q');
      const hints = await findAuthSecretHints(dir, { trusted });
      assert.deepEqual([...hints.keys()].sort(), ['PROXYOS_SECRET', 'PY_SECRET'], `trusted=${trusted}`);
      const h = hints.get('PROXYOS_SECRET')!;
      assert.deepEqual({ kind: h.kind, detail: h.detail, consumer: h.consumer, file: h.file, line: h.line }, { kind: 'session-signing', detail: 'src/auth.ts:2', consumer: 'better-auth', file: path.join(dir, 'src', 'auth.ts'), line: 2 });
    }
  });

  it('accepts a file as root (its folder is scanned) and a missing root', async () => {
    const dir = makeWorkspace({ '.env': 'A=1\n', 'auth.js': `const session = require('express-session');\napp.use(session({ secret: process.env.S1 }));\n` });
    assert.deepEqual([...(await findAuthSecretHints(path.join(dir, '.env'))).keys()], ['S1']);
    assert.equal((await findAuthSecretHints(path.join(dir, 'missing'))).size, 0);
  });

  it('finds the same hints through git grep as by reading every file, and honours ignored files either way', async () => {
    const files: Record<string, string> = {
      '.gitignore': 'dist/\ncoverage/\n',
      'src/auth.ts': `import { betterAuth } from "better-auth";\nexport const auth = betterAuth({ secret: process.env.BA_SECRET });\n`,
      'src/session.js': `const session = require('express-session');\napp.use(session({\n  secret: process.env.SESS_KEY,\n}));\n`,
      'src/koa.mjs': `app.keys =\n  [process.env.KOA_KEY];\n`,
      'src/jwt.cts': `const k = process.env.VAR_SECRET;\njwt.sign(payload, k);\n`,
      'src/Legacy.JS': `app.use(cookieParser(process.env.UPPER_EXT_COOKIE));\n`,
      'src/types.d.ts': `import session from 'express-session';\nsession({ secret: process.env.IN_DECLARATION });\n`,
      'app/settings.py': 'SECRET_KEY = os.environ["DJANGO_KEY"]\n',
      'config/app.rb': 'config.secret_key_base = ENV.fetch("RAILS_KEY")\n',
      'cmd/main.go': 'import "github.com/gorilla/sessions"\nvar store = sessions.NewCookieStore([]byte(os.Getenv("GO_SESSION")))\n',
      'src/plain.ts': 'export const port = Number(process.env.PORT);\n',
      'dist/auth.js': `import { betterAuth } from "better-auth";\nbetterAuth({ secret: process.env.IN_DIST });\n`,
      'coverage/x.js': `app.use(cookieParser(process.env.IN_COVERAGE));\n`,
      'node_modules/lib/auth.js': `app.use(cookieParser(process.env.IN_DEPS));\n`,
    };
    const expected = ['BA_SECRET', 'DJANGO_KEY', 'GO_SESSION', 'KOA_KEY', 'RAILS_KEY', 'SESS_KEY', 'UPPER_EXT_COOKIE', 'VAR_SECRET'];
    const summary = (hints: Map<string, { detail: string; consumer: string }>) => [...hints].map(([k, h]) => `${k} ${h.detail} ${h.consumer}`).sort();
    const dir = makeWorkspace(files);
    const walked = await findAuthSecretHints(dir, { trusted: false });
    assert.deepEqual([...walked.keys()].sort(), expected);
    // Trusted outside a repository: git cannot answer, the walk does.
    assert.deepEqual(summary(await findAuthSecretHints(dir, { trusted: true })), summary(walked));
    git(dir, 'init', '-q');
    // Untracked files (git grep --untracked), then the same files tracked.
    assert.deepEqual(summary(await findAuthSecretHints(dir, { trusted: true })), summary(walked));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'init');
    assert.deepEqual(summary(await findAuthSecretHints(dir, { trusted: true })), summary(walked));
  });
});
