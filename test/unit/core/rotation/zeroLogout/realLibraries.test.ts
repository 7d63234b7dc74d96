import { strict as assert } from 'node:assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import type * as http from 'node:http';
import * as path from 'node:path';
import { applyRotation } from '../../../../../src/core/rotation/apply';
import { planRotation } from '../../../../../src/core/rotation/plan';
import { REPO_ROOT } from '../../../../helpers/shared';
import { loadFresh, makeApp, readEnv, retire, rotate, serve, withEnv, type AppWorkspace } from './appWorkspace';

/*
 * Proof with the real libraries: a session issued with the old secret, rekey's rotation applied
 * to the app's .env (and its code edit), the app reloaded from the rotated .env as parsed by
 * dotenv; then (a) the old session still verifies, (b) new sessions are signed with the new
 * secret, (c) after `retire-previous` the old session is rejected. Each app is written the way
 * the library's README shows it.
 */

/* eslint-disable @typescript-eslint/no-require-imports */

describe('zero-logout rotation with the real libraries', function () {
  this.timeout(60_000);
  let ws: AppWorkspace | undefined;
  afterEach(() => {
    ws?.cleanup();
    ws = undefined;
  });

  it('express-session (fixture app): old cookie keeps its session, new cookies use the new secret, retirement rejects the old one', async () => {
    ws = makeApp({});
    cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'rotation', 'express-session'), ws.root, { recursive: true });
    const app = path.join(ws.root, 'app.js');
    const signature = require('cookie-signature') as { unsign(v: string, s: string): string | false };
    const keys = ['SESSION_SECRET', 'SESSION_SECRET_PREVIOUS'];
    const oldSecret = readEnv(ws).SESSION_SECRET as string;
    const run = (env: Record<string, string>, fn: (get: (p: string, c?: string) => Promise<{ body: string; cookies: string[] }>) => Promise<void>): Promise<void> =>
      withEnv(env, keys, () => serve(loadFresh<http.RequestListener>(app), fn));

    let oldCookie = '';
    await run(readEnv(ws), async (get) => {
      const r = await get('/');
      assert.equal(r.body, 'views: 1');
      oldCookie = r.cookies.find((c) => c.startsWith('connect.sid=')) as string;
      assert.ok(oldCookie);
    });
    const plan = await rotate(ws, 'SESSION_SECRET');
    assert.equal(plan.zeroLogout?.framework, 'express-session');
    assert.match(readFileSync(app, 'utf8'), /secret: \[process\.env\.SESSION_SECRET, process\.env\.SESSION_SECRET_PREVIOUS\]\.filter\(Boolean\)/);
    const rotated = readEnv(ws);
    assert.equal(rotated.SESSION_SECRET_PREVIOUS, oldSecret);
    assert.notEqual(rotated.SESSION_SECRET, oldSecret);

    let windowCookie = '';
    await run(rotated, async (get) => {
      assert.equal((await get('/', oldCookie)).body, 'views: 2', '(a) the old cookie still finds its session');
      const fresh = await get('/');
      windowCookie = fresh.cookies.find((c) => c.startsWith('connect.sid=')) as string;
      const value = decodeURIComponent(windowCookie.slice('connect.sid='.length)).slice(2);
      assert.notEqual(signature.unsign(value, rotated.SESSION_SECRET as string), false, '(b) signed with the new secret');
      assert.equal(signature.unsign(value, oldSecret), false, '(b) not with the old one');
    });
    await retire(ws, 'SESSION_SECRET');
    const retired = readEnv(ws);
    assert.equal(retired.SESSION_SECRET_PREVIOUS, undefined);
    await run(retired, async (get) => {
      assert.equal((await get('/', oldCookie)).body, 'views: 1', '(c) the old cookie is rejected: a new session starts');
      assert.equal((await get('/', windowCookie)).body, 'views: 2', 'sessions from the window survive retirement');
    });
  });

  it('Auth.js (@auth/core): the secret list it derives from AUTH_SECRET/AUTH_SECRET_1 decrypts old JWTs and encrypts new ones with the new secret', async () => {
    ws = makeApp({});
    cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'rotation', 'authjs'), ws.root, { recursive: true });
    const { setEnvDefaults } = require('@auth/core') as { setEnvDefaults: (env: Record<string, string>, config: { secret?: string | string[]; providers: unknown[] }) => void };
    const { encode, decode } = require('@auth/core/jwt') as {
      encode: (p: { token: Record<string, unknown>; secret: string | string[]; salt: string }) => Promise<string>;
      decode: (p: { token: string; secret: string | string[]; salt: string }) => Promise<Record<string, unknown> | null>;
    };
    const salt = 'authjs.session-token';
    const secretFrom = (env: Record<string, string>): string[] => {
      const config: { secret?: string | string[]; providers: unknown[] } = { providers: [] };
      setEnvDefaults(env, config);
      return config.secret as string[];
    };
    const oldSecret = readEnv(ws).AUTH_SECRET as string;
    const oldToken = await encode({ token: { sub: 'user-1' }, secret: secretFrom(readEnv(ws)), salt });

    const plan = await rotate(ws, 'AUTH_SECRET');
    assert.equal(plan.zeroLogout?.layout, 'stage-indexed');
    const rotated = readEnv(ws);
    assert.equal(rotated.AUTH_SECRET, oldSecret);
    assert.ok(rotated.AUTH_SECRET_1 && rotated.AUTH_SECRET_1 !== oldSecret);
    const secrets = secretFrom(rotated);
    assert.equal((await decode({ token: oldToken, secret: secrets, salt }))?.sub, 'user-1', '(a) the old JWT still decrypts');
    const newToken = await encode({ token: { sub: 'user-2' }, secret: secrets, salt });
    assert.equal((await decode({ token: newToken, secret: rotated.AUTH_SECRET_1, salt }))?.sub, 'user-2', '(b) encrypted with the new secret');
    await assert.rejects(decode({ token: newToken, secret: oldSecret, salt }), '(b) not with the old one');

    await retire(ws, 'AUTH_SECRET');
    const retired = readEnv(ws);
    assert.equal(retired.AUTH_SECRET, rotated.AUTH_SECRET_1);
    assert.equal(retired.AUTH_SECRET_1, undefined);
    await assert.rejects(decode({ token: oldToken, secret: secretFrom(retired), salt }), '(c) the old JWT is rejected');
    assert.equal((await decode({ token: newToken, secret: secretFrom(retired), salt }))?.sub, 'user-2', 'JWTs from the window survive retirement');
  });

  it('cookie-parser: signed cookies from before the rotation still read, new ones use the new secret', async () => {
    ws = makeApp({
      'server.js': [
        "const express = require('express')",
        "const cookieParser = require('cookie-parser')",
        'const app = express()',
        'app.use(cookieParser(process.env.COOKIE_SECRET))',
        "app.get('/set', (req, res) => { res.cookie('name', 'tobi', { signed: true }); res.send('ok') })",
        "app.get('/', (req, res) => res.send(String(req.signedCookies.name)))",
        'module.exports = app',
        '',
      ].join('\n'),
      '.env': 'COOKIE_SECRET=cookie-parser-old-secret-0123456789abcdef\n',
    });
    const server = path.join(ws.root, 'server.js');
    const keys = ['COOKIE_SECRET', 'COOKIE_SECRET_PREVIOUS'];
    const signature = require('cookie-signature') as { unsign(v: string, s: string): string | false };
    const run = (env: Record<string, string>, fn: (get: (p: string, c?: string) => Promise<{ body: string; cookies: string[] }>) => Promise<void>): Promise<void> =>
      withEnv(env, keys, () => serve(loadFresh<http.RequestListener>(server), fn));
    let oldCookie = '';
    await run(readEnv(ws), async (get) => {
      oldCookie = (await get('/set')).cookies[0] as string;
      assert.equal((await get('/', oldCookie)).body, 'tobi');
    });
    await rotate(ws, 'COOKIE_SECRET');
    const rotated = readEnv(ws);
    await run(rotated, async (get) => {
      assert.equal((await get('/', oldCookie)).body, 'tobi', '(a)');
      const fresh = (await get('/set')).cookies[0] as string;
      const value = decodeURIComponent(fresh.slice('name='.length)).slice(2);
      assert.equal(signature.unsign(value, rotated.COOKIE_SECRET as string), 'tobi', '(b)');
    });
    await retire(ws, 'COOKIE_SECRET');
    await run(readEnv(ws), async (get) => {
      assert.equal((await get('/', oldCookie)).body, 'false', '(c) the old signature is rejected');
    });
  });

  it('cookie-session: keys list keeps the old session, signs new ones with the new key', async () => {
    ws = makeApp({
      'server.js': [
        "const cookieSession = require('cookie-session')",
        "const express = require('express')",
        'const app = express()',
        'app.use(cookieSession({',
        "  name: 'session',",
        '  keys: [process.env.SESSION_KEY],',
        '  maxAge: 24 * 60 * 60 * 1000 // 24 hours',
        '}))',
        "app.get('/', (req, res) => { req.session.n = (req.session.n || 0) + 1; res.end(req.session.n + ' views') })",
        'module.exports = app',
        '',
      ].join('\n'),
      '.env': 'SESSION_KEY=cookie-session-old-key-0123456789abcdef0123\n',
    });
    const server = path.join(ws.root, 'server.js');
    const keys = ['SESSION_KEY', 'SESSION_KEY_PREVIOUS'];
    const Keygrip = require('keygrip') as new (keys: string[]) => { verify(data: string, digest: string): boolean };
    const run = (env: Record<string, string>, fn: (get: (p: string, c?: string) => Promise<{ body: string; cookies: string[] }>) => Promise<void>): Promise<void> =>
      withEnv(env, keys, () => serve(loadFresh<http.RequestListener>(server), fn));
    let old = '';
    await run(readEnv(ws), async (get) => {
      old = (await get('/')).cookies.join('; ');
    });
    const plan = await rotate(ws, 'SESSION_KEY');
    assert.equal(plan.zeroLogout?.framework, 'cookie-session');
    const rotated = readEnv(ws);
    await run(rotated, async (get) => {
      const r = await get('/', old);
      assert.equal(r.body, '2 views', '(a)');
      const session = r.cookies.find((c) => c.startsWith('session='))?.slice('session='.length) as string;
      const sig = r.cookies.find((c) => c.startsWith('session.sig='))?.slice('session.sig='.length) as string;
      assert.ok(new Keygrip([rotated.SESSION_KEY as string]).verify(`session=${session}`, sig), '(b) re-signed with the new key');
    });
    await retire(ws, 'SESSION_KEY');
    await run(readEnv(ws), async (get) => {
      assert.equal((await get('/', old)).body, '1 views', '(c)');
    });
  });

  it('iron-session: a password map opens old seals (id 1) and seals with the new password', async () => {
    ws = makeApp({
      'lib/session.js': [
        "const { sealData, unsealData } = require('iron-session')",
        'const sessionOptions = {',
        '  password: process.env.SECRET_COOKIE_PASSWORD,',
        "  cookieName: 'iron-examples-app-router-server-component-and-action',",
        '}',
        'module.exports = {',
        '  seal: (data) => sealData(data, { password: sessionOptions.password }),',
        '  unseal: (seal) => unsealData(seal, { password: sessionOptions.password }),',
        '}',
        '',
      ].join('\n'),
      '.env': 'SECRET_COOKIE_PASSWORD=iron-session-old-password-0123456789abcdef\n',
    });
    const lib = path.join(ws.root, 'lib', 'session.js');
    const keys = ['SECRET_COOKIE_PASSWORD', 'SECRET_COOKIE_PASSWORD_PREVIOUS'];
    const iron = require('iron-session') as { unsealData(s: string, o: { password: string | Record<string, string> }): Promise<Record<string, unknown>> };
    type Lib = { seal(d: object): Promise<string>; unseal(s: string): Promise<Record<string, unknown>> };
    const oldSeal = await withEnv(readEnv(ws), keys, () => loadFresh<Lib>(lib).seal({ user: 'alice' }));
    const plan = await rotate(ws, 'SECRET_COOKIE_PASSWORD');
    assert.equal(plan.zeroLogout?.framework, 'iron-session');
    const rotated = readEnv(ws);
    const newSeal = await withEnv(rotated, keys, async () => {
      const l = loadFresh<Lib>(lib);
      assert.deepEqual(await l.unseal(oldSeal), { user: 'alice' }, '(a)');
      return l.seal({ user: 'bob' });
    });
    assert.deepEqual(await iron.unsealData(newSeal, { password: { 2: rotated.SECRET_COOKIE_PASSWORD as string } }), { user: 'bob' }, '(b)');
    await retire(ws, 'SECRET_COOKIE_PASSWORD');
    await withEnv(readEnv(ws), keys, async () => {
      const l = loadFresh<Lib>(lib);
      assert.deepEqual(await l.unseal(oldSeal), {}, '(c) the old seal no longer opens');
      assert.deepEqual(await l.unseal(newSeal), { user: 'bob' }, 'seals from the window survive retirement');
    });
  });

  it('jsonwebtoken: the verify edit accepts old tokens, sign uses the new secret', async () => {
    ws = makeApp({
      'auth.js': [
        "const jwt = require('jsonwebtoken')",
        '',
        "function issue(user) { return jwt.sign({ sub: user }, process.env.JWT_SECRET, { expiresIn: '1h' }) }",
        '',
        'function check(token) {',
        '  return jwt.verify(token, process.env.JWT_SECRET)',
        '}',
        '',
        'module.exports = { issue, check }',
        '',
      ].join('\n'),
      '.env': 'JWT_SECRET=jsonwebtoken-old-secret-0123456789abcdef0123\n',
    });
    const lib = path.join(ws.root, 'auth.js');
    const keys = ['JWT_SECRET', 'JWT_SECRET_PREVIOUS'];
    const jwt = require('jsonwebtoken') as { verify(t: string, s: string): { sub: string } };
    type Lib = { issue(u: string): string; check(t: string): { sub: string } };
    const oldToken = await withEnv(readEnv(ws), keys, () => loadFresh<Lib>(lib).issue('alice'));
    const plan = await rotate(ws, 'JWT_SECRET');
    assert.equal(plan.zeroLogout?.framework, 'jsonwebtoken');
    const rotated = readEnv(ws);
    const newToken = await withEnv(rotated, keys, () => {
      const l = loadFresh<Lib>(lib);
      assert.equal(l.check(oldToken).sub, 'alice', '(a)');
      return l.issue('bob');
    });
    assert.equal(jwt.verify(newToken, rotated.JWT_SECRET as string).sub, 'bob', '(b)');
    assert.throws(() => jwt.verify(newToken, rotated.JWT_SECRET_PREVIOUS as string), /invalid signature/);
    await retire(ws, 'JWT_SECRET');
    await withEnv(readEnv(ws), keys, () => {
      const l = loadFresh<Lib>(lib);
      assert.throws(() => l.check(oldToken), /invalid signature/, '(c)');
      assert.equal(l.check(newToken).sub, 'bob');
    });
  });
  it('better-auth: rekey says plainly that rotating logs everyone out, and the real library agrees (even with BETTER_AUTH_SECRETS)', async () => {
    ws = makeApp({
      'package.json': JSON.stringify({ name: 'ba', private: true, dependencies: { 'better-auth': '^1.7.0' } }),
      'src/auth.ts': "import { betterAuth } from 'better-auth'\n\nexport const auth = betterAuth({ emailAndPassword: { enabled: true } })\n",
      '.env': 'BETTER_AUTH_SECRET=Qm7vX2pL9sT4wB8nK3cR6yH1dF5gJ0zA\nBETTER_AUTH_URL=http://127.0.0.1:3000\n',
    });
    const { betterAuth } = (await import('better-auth')) as { betterAuth: (o: object) => { api: { signUpEmail(o: object): Promise<Response>; getSession(o: object): Promise<unknown> } } };
    const { memoryAdapter } = (await import('better-auth/adapters/memory')) as { memoryAdapter: (db: object) => object };
    const db = { user: [], session: [], account: [], verification: [] };
    const keys = ['BETTER_AUTH_SECRET', 'BETTER_AUTH_SECRETS', 'BETTER_AUTH_URL'];
    // better-auth reads its env when it first handles a request: keep each phase's env in place throughout.
    type Auth = { api: { signUpEmail(o: object): Promise<Response>; getSession(o: object): Promise<unknown> } };
    const inApp = <T>(env: Record<string, string>, fn: (auth: Auth) => Promise<T>): Promise<T> =>
      withEnv(env, keys, () => fn(betterAuth({ database: memoryAdapter(db), emailAndPassword: { enabled: true }, logger: { disabled: true } })));
    const cookie = await inApp(readEnv(ws), async (auth) => {
      const res = await auth.api.signUpEmail({ body: { email: 'a@example.com', password: 'correct horse battery', name: 'A' }, asResponse: true });
      const c = res.headers.getSetCookie().map((x) => x.split(';')[0]).join('; ');
      assert.ok(await auth.api.getSession({ headers: new Headers({ cookie: c }) }), 'control: the cookie works before the rotation');
      return c;
    });

    const oldSecret = readEnv(ws).BETTER_AUTH_SECRET as string;
    const plan = await rotate(ws, 'BETTER_AUTH_SECRET');
    assert.equal(plan.zeroLogout?.framework, 'better-auth');
    assert.equal(plan.zeroLogout?.available, false);
    assert.match(plan.zeroLogout?.summary ?? '', /logs everyone out/);
    assert.ok(plan.warnings.some((w) => /logs everyone out/.test(w)));
    const rotated = readEnv(ws);
    assert.equal(await inApp(rotated, (auth) => auth.api.getSession({ headers: new Headers({ cookie }) })), null, 'the library logs the user out, as the plan says');
    const versioned = { ...rotated, BETTER_AUTH_SECRETS: `2:${rotated.BETTER_AUTH_SECRET as string},1:${oldSecret}` };
    assert.equal(await inApp(versioned, (auth) => auth.api.getSession({ headers: new Headers({ cookie }) })), null, 'BETTER_AUTH_SECRETS does not keep session cookies');
    assert.ok(await inApp(readEnv({ envFile: `${ws.envFile}.before-secret-rotation` } as AppWorkspace), (auth) => auth.api.getSession({ headers: new Headers({ cookie }) })), 'control: the old secret (from the backup) still accepts it');
  });

  it('jose: rekey offers the snippet instead of an edit, and the snippet verifies old and new tokens', async () => {
    ws = makeApp({
      'lib/token.js': "import { jwtVerify, SignJWT } from 'jose'\n\nconst secret = new TextEncoder().encode(process.env.JWT_SECRET)\nexport const verify = (t) => jwtVerify(t, secret)\nexport const issue = (sub) => new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).sign(secret)\n",
      '.env': 'JWT_SECRET=jose-old-secret-0123456789abcdef0123456789\n',
    });
    const plan = await planRotation({ workspaceRoot: ws.root, file: ws.envFile, key: 'JWT_SECRET', options: { trusted: false } });
    assert.equal(plan.zeroLogout?.framework, 'jose');
    assert.equal(plan.zeroLogout?.available, false);
    const snippet = plan.zeroLogout?.manual?.snippet as string;
    assert.ok(snippet.includes('process.env.JWT_SECRET_PREVIOUS'));
    // Run the snippet as the app would: transpiled, loaded, with the env of each phase.
    const { transformSync } = require('esbuild') as { transformSync: (c: string, o: object) => { code: string } };
    const file = path.join(ws.root, 'lib', 'verifyWithPrevious.js');
    writeFileSync(file, transformSync(snippet, { loader: 'ts', format: 'cjs' }).code);
    const jose = require('jose') as { SignJWT: new (p: object) => { setProtectedHeader(h: object): { sign(k: Uint8Array): Promise<string> } } };
    const sign = (sub: string, s: string): Promise<string> => new jose.SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(s));
    type Lib = { verifyWithPreviousKeys(t: string): Promise<{ payload: { sub: string } }> };
    const keys = ['JWT_SECRET', 'JWT_SECRET_PREVIOUS'];
    const oldToken = await sign('alice', 'jose-old-secret-0123456789abcdef0123456789');
    await withEnv({ JWT_SECRET: 'jose-new-secret-0123456789abcdef0123456789', JWT_SECRET_PREVIOUS: 'jose-old-secret-0123456789abcdef0123456789' }, keys, async () => {
      assert.equal((await loadFresh<Lib>(file).verifyWithPreviousKeys(oldToken)).payload.sub, 'alice', '(a)');
    });
    await withEnv({ JWT_SECRET: 'jose-new-secret-0123456789abcdef0123456789' }, keys, async () => {
      await assert.rejects(loadFresh<Lib>(file).verifyWithPreviousKeys(oldToken), /signature verification failed/, '(c)');
    });
  });

  it('control: a plain rotation (--logout-everyone) of the express-session fixture does log the old session out', async () => {
    ws = makeApp({});
    cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'rotation', 'express-session'), ws.root, { recursive: true });
    const app = path.join(ws.root, 'app.js');
    const keys = ['SESSION_SECRET', 'SESSION_SECRET_PREVIOUS'];
    let oldCookie = '';
    await withEnv(readEnv(ws), keys, () => serve(loadFresh<http.RequestListener>(app), async (get) => {
      oldCookie = (await get('/')).cookies[0] as string;
    }));
    const plan = await planRotation({ workspaceRoot: ws.root, file: ws.envFile, key: 'SESSION_SECRET', options: { trusted: false, zeroLogout: false } });
    assert.equal(plan.zeroLogoutChosen, false);
    await applyRotation(plan, { trusted: false });
    assert.equal(readEnv(ws).SESSION_SECRET_PREVIOUS, undefined);
    await withEnv(readEnv(ws), keys, () => serve(loadFresh<http.RequestListener>(app), async (get) => {
      assert.equal((await get('/', oldCookie)).body, 'views: 1');
    }));
  });
});
