/*
 * How each session framework verifies with old secrets while signing with the new one: the
 * names it reads, the versions that have it, and where that is written down. Rotation planning
 * (`rotation/zeroLogout/`) turns a row into edits; the README prints the table.
 *
 * Every row was checked against the library's source, not only its documentation. Where the two
 * disagree the source wins and the row says so (Auth.js: the highest-numbered `AUTH_SECRET_n`
 * signs, whatever order the docs suggest).
 */

/** Package registries rekey reads versions from. */
export type Ecosystem = 'npm' | 'pypi' | 'composer' | 'rubygems';

/**
 * How a framework keeps old sessions valid:
 * - `env-previous`: it reads the previous secret(s) from an env var itself; a `.env` edit is enough.
 * - `env-indexed`: it reads numbered siblings (`AUTH_SECRET_1`..`_3`) and signs with the highest one.
 * - `code-list`: it accepts a list in code (`secret: [new, old]`); the app must pass one (a code edit).
 * - `code-manual`: possible, but the code change is application-specific; rekey shows it, does not make it.
 * - `none`: no way to keep old sessions valid; rotating logs everyone out.
 */
export type ZeroLogoutMechanism = 'env-previous' | 'env-indexed' | 'code-list' | 'code-manual' | 'none';

/** How a list of previous secrets is spelled in one env value. */
export type PreviousSyntax =
  /** One value (`SESSION_SECRET_PREVIOUS=old`). */
  | 'single'
  /** Comma-separated, newest first (`APP_PREVIOUS_KEYS=old,older`). */
  | 'comma-list'
  /** A JSON array, newest first (`FLASK_SECRET_KEY_FALLBACKS=["old"]`: Flask's `from_prefixed_env` runs `json.loads`). */
  | 'json-list';

export interface SessionFramework {
  /** Stable id (JSON output, tests). */
  id: SessionFrameworkId;
  name: string;
  ecosystem: Ecosystem;
  /** Package names that bring it in; the first is the one whose version decides. */
  packages: string[];
  /** Names `authSecretHints` gives this library as `consumer`. */
  consumers: string[];
  mechanism: ZeroLogoutMechanism;
  /** Lowest version with the mechanism (inclusive), as the registry spells it. */
  since?: string;
  /** Env var holding the signing secret, when the framework reads one itself. */
  secretEnv?: string;
  /** Env var the previous secret(s) go into (`env-previous`), or the numbered prefix (`env-indexed`). */
  previousEnv?: string;
  previousSyntax?: PreviousSyntax;
  /** How many numbered siblings it reads (`env-indexed`). */
  indexedCount?: number;
  /** One sentence: how it verifies old and signs new, exactly. */
  how: string;
  /** What happens to existing sessions with a plain rotation (no previous secret). */
  plainRotation: string;
  /** Default session lifetime in days, from the library's documentation or source. */
  defaultLifetimeDays: number;
  /** Where `defaultLifetimeDays` comes from, as the app would configure it. */
  lifetimeSetting: string;
  /** Documentation page. */
  docUrl: string;
  /** Source file that implements it (package-relative path at the version checked). */
  source: string;
  /** Version whose source was read. */
  checkedVersion: string;
  /** `real-library`: a test drives the installed library; `documentation`: plan-level tests against the documented syntax. */
  proof: 'real-library' | 'documentation';
}

export type SessionFrameworkId =
  | 'authjs'
  | 'better-auth'
  | 'express-session'
  | 'cookie-parser'
  | 'cookie-session'
  | 'iron-session'
  | 'jsonwebtoken'
  | 'jose'
  | 'django'
  | 'flask'
  | 'laravel'
  | 'rails';

/** The table. Order: Node (proven with the real library), then the frameworks proven by documentation. */
export const SESSION_FRAMEWORKS: readonly SessionFramework[] = [
  {
    id: 'authjs', name: 'Auth.js / NextAuth v5', ecosystem: 'npm', packages: ['@auth/core', 'next-auth', '@auth/sveltekit', '@auth/express'],
    consumers: ['NextAuth/Auth.js'], mechanism: 'env-indexed', since: '0.24.0', secretEnv: 'AUTH_SECRET', previousEnv: 'AUTH_SECRET', indexedCount: 3,
    how: 'Without a `secret` option, `setEnvDefaults` builds the list from AUTH_SECRET, then puts AUTH_SECRET_1, _2, _3 in front of it (unshift): the highest-numbered one present encrypts new session JWTs, every one decrypts.',
    plainRotation: 'Every session JWT fails to decrypt ("no matching decryption secret"): every user signs in again.',
    defaultLifetimeDays: 30, lifetimeSetting: 'session.maxAge (seconds; default 2592000)',
    docUrl: 'https://authjs.dev/reference/core#secret', source: '@auth/core/lib/utils/env.js (setEnvDefaults), @auth/core/jwt.js (encode: secrets[0]; decode: each secret)',
    checkedVersion: '0.41.3', proof: 'real-library',
  },
  {
    id: 'better-auth', name: 'better-auth', ecosystem: 'npm', packages: ['better-auth'], consumers: ['better-auth'], mechanism: 'none', secretEnv: 'BETTER_AUTH_SECRET',
    how: 'BETTER_AUTH_SECRETS ("2:new,1:old") or the `secrets` option versions the keys of *encrypted* data (OAuth tokens, cookie cache, 2FA secrets), but the session_token cookie is verified with the current secret only (`getSignedCookie(..., ctx.context.secret)`).',
    plainRotation: 'Every session cookie fails its signature check: every user signs in again. With BETTER_AUTH_SECRETS, encrypted data stays readable; without it, it does not.',
    defaultLifetimeDays: 7, lifetimeSetting: 'session.expiresIn (seconds; default 7 days)',
    docUrl: 'https://www.better-auth.com/docs/reference/security', source: 'better-auth/dist/context/create-context.mjs, better-auth/dist/context/secret-utils.mjs, better-auth/dist/api/routes/session.mjs',
    checkedVersion: '1.7.25', proof: 'real-library',
  },
  {
    id: 'express-session', name: 'express-session', ecosystem: 'npm', packages: ['express-session'], consumers: ['express-session'], mechanism: 'code-list', since: '1.11.0',
    how: '`secret` may be an array: the first element signs the session ID cookie, every element is tried when unsigning.',
    plainRotation: 'Every session ID cookie fails to unsign; the session store still holds the data but no cookie points at it: every user signs in again.',
    defaultLifetimeDays: 30, lifetimeSetting: 'cookie.maxAge (milliseconds; default: none, a browser-session cookie)',
    docUrl: 'https://github.com/expressjs/session#secret', source: 'express-session/index.js (setcookie: secrets[0]; unsigncookie: every secret)',
    checkedVersion: '1.19.0', proof: 'real-library',
  },
  {
    id: 'cookie-parser', name: 'cookie-parser', ecosystem: 'npm', packages: ['cookie-parser'], consumers: ['cookie-parser'], mechanism: 'code-list', since: '1.4.0',
    how: '`cookieParser(secret)` accepts an array: `req.secret` (what `res.cookie(..., { signed: true })` signs with) is the first, `req.signedCookies` unsigns with each.',
    plainRotation: 'Every signed cookie reads as `false` in req.signedCookies.',
    defaultLifetimeDays: 30, lifetimeSetting: 'maxAge of the signed cookies (set per cookie)',
    docUrl: 'https://github.com/expressjs/cookie-parser#cookieparsersecret-options', source: 'cookie-parser/index.js (signedCookie: each secret)',
    checkedVersion: '1.4.7', proof: 'real-library',
  },
  {
    id: 'cookie-session', name: 'cookie-session', ecosystem: 'npm', packages: ['cookie-session'], consumers: ['cookie-session'], mechanism: 'code-list', since: '1.0.0',
    how: '`keys` is a Keygrip list: the first key signs, every key verifies (`secret` is a one-key list).',
    plainRotation: 'Every session cookie fails its .sig check and reads as an empty session.',
    defaultLifetimeDays: 30, lifetimeSetting: 'maxAge (milliseconds; default: none, a browser-session cookie)',
    docUrl: 'https://github.com/expressjs/cookie-session#keys', source: 'cookie-session/index.js, keygrip/index.js (sign: keys[0]; index: each key)',
    checkedVersion: '2.1.1', proof: 'real-library',
  },
  {
    id: 'iron-session', name: 'iron-session', ecosystem: 'npm', packages: ['iron-session'], consumers: ['iron-session'], mechanism: 'code-list', since: '6.0.0',
    how: '`password` may be a map `{ id: password }`: seals use the highest id, unseal picks the password by the id stored in the seal.',
    plainRotation: 'Every seal fails ("Bad hmac value") and reads as an empty session.',
    defaultLifetimeDays: 14, lifetimeSetting: 'ttl (seconds; default 14 days)',
    docUrl: 'https://github.com/vvo/iron-session#password-rotation', source: 'iron-session/dist/index.cjs (normalizeStringPasswordToMap, mostRecentPasswordId)',
    checkedVersion: '8.0.4', proof: 'real-library',
  },
  {
    id: 'jsonwebtoken', name: 'jsonwebtoken', ecosystem: 'npm', packages: ['jsonwebtoken'], consumers: ['jsonwebtoken', 'JWT library', 'JWT middleware'], mechanism: 'code-list',
    how: 'No list support: `jwt.verify` takes one secret. The app signs with the new secret and verifies with each secret in turn, retrying only on "invalid signature".',
    plainRotation: 'Every token fails with "invalid signature": every user signs in again.',
    defaultLifetimeDays: 30, lifetimeSetting: 'expiresIn passed to jwt.sign',
    docUrl: 'https://github.com/auth0/node-jsonwebtoken#jwtverifytoken-secretorpublickey-options-callback', source: 'jsonwebtoken/verify.js',
    checkedVersion: '9.0.3', proof: 'real-library',
  },
  {
    id: 'jose', name: 'jose', ecosystem: 'npm', packages: ['jose'], consumers: ['jose'], mechanism: 'code-manual',
    how: 'No list support for symmetric keys: `jwtVerify` takes one key (or a resolver that returns one). The app verifies with each key in turn, retrying on JWSSignatureVerificationFailed.',
    plainRotation: 'Every token fails with JWSSignatureVerificationFailed.',
    defaultLifetimeDays: 30, lifetimeSetting: 'setExpirationTime on SignJWT',
    docUrl: 'https://github.com/panva/jose/blob/main/docs/jwt/verify/functions/jwtVerify.md', source: 'jose/dist/webapi/jwt/verify.js',
    checkedVersion: '6.2.18', proof: 'real-library',
  },
  {
    id: 'django', name: 'Django', ecosystem: 'pypi', packages: ['django'], consumers: ['Django/Flask'], mechanism: 'env-previous', since: '4.1', secretEnv: 'SECRET_KEY',
    previousEnv: 'SECRET_KEY_FALLBACKS', previousSyntax: 'comma-list',
    how: 'settings.SECRET_KEY_FALLBACKS (a list) verifies signatures made with older keys; SECRET_KEY signs. Django reads settings, not the environment: the settings module must read the env var (e.g. django-environ `env.list("SECRET_KEY_FALLBACKS")`, comma-separated).',
    plainRotation: 'Signed cookies, signed-cookie sessions, password-reset links and session auth hashes made with the old key fail: users are logged out.',
    defaultLifetimeDays: 14, lifetimeSetting: 'SESSION_COOKIE_AGE (seconds; default 1209600)',
    docUrl: 'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key-fallbacks', source: 'django/core/signing.py (Signer: fallback_keys), django/conf/global_settings.py',
    checkedVersion: '4.1 documentation', proof: 'documentation',
  },
  {
    id: 'flask', name: 'Flask', ecosystem: 'pypi', packages: ['flask'], consumers: ['Flask', 'Django/Flask'], mechanism: 'env-previous', since: '3.1', secretEnv: 'FLASK_SECRET_KEY',
    previousEnv: 'FLASK_SECRET_KEY_FALLBACKS', previousSyntax: 'json-list',
    how: 'app.config["SECRET_KEY_FALLBACKS"] (a list) unsigns sessions made with older keys; SECRET_KEY signs. `app.config.from_prefixed_env()` reads FLASK_SECRET_KEY_FALLBACKS and parses it with json.loads, so the value is a JSON array.',
    plainRotation: 'Every session cookie fails to unsign and reads as an empty session.',
    defaultLifetimeDays: 31, lifetimeSetting: 'PERMANENT_SESSION_LIFETIME (default 31 days)',
    docUrl: 'https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY_FALLBACKS', source: 'flask/sessions.py (SecureCookieSessionInterface.get_signing_serializer), flask/config.py (from_prefixed_env: json.loads)',
    checkedVersion: '3.1 documentation', proof: 'documentation',
  },
  {
    id: 'laravel', name: 'Laravel', ecosystem: 'composer', packages: ['laravel/framework'], consumers: ['Laravel'], mechanism: 'env-previous', since: '11.0', secretEnv: 'APP_KEY',
    previousEnv: 'APP_PREVIOUS_KEYS', previousSyntax: 'comma-list',
    how: 'config/app.php reads APP_PREVIOUS_KEYS (comma-separated) into `previous_keys`; the encrypter encrypts with APP_KEY and decrypts with APP_KEY then each previous key. Cookies, sessions and Crypt:: data all go through it.',
    plainRotation: 'Every encrypted cookie (the session cookie included) fails to decrypt: every user is logged out, and data encrypted with Crypt:: cannot be read.',
    defaultLifetimeDays: 1, lifetimeSetting: 'SESSION_LIFETIME (minutes; default 120)',
    docUrl: 'https://laravel.com/docs/11.x/encryption#gracefully-rotating-encryption-keys', source: 'laravel/framework src/Illuminate/Encryption/Encrypter.php (previousKeys), config/app.php (previous_keys)',
    checkedVersion: '11.x documentation', proof: 'documentation',
  },
  {
    id: 'rails', name: 'Rails', ecosystem: 'rubygems', packages: ['rails', 'actionpack'], consumers: ['Rails'], mechanism: 'code-manual', since: '5.2', secretEnv: 'SECRET_KEY_BASE',
    how: 'Rails reads one secret_key_base; the cookie jar verifies old cookies only through `config.action_dispatch.cookies_rotations` (rotate :signed / :encrypted with secrets derived from the old secret_key_base), an initializer the app adds.',
    plainRotation: 'Every signed and encrypted cookie (the cookie-store session included) fails: every user is logged out.',
    defaultLifetimeDays: 30, lifetimeSetting: 'expire_after of the session store (default: none, a browser-session cookie)',
    docUrl: 'https://guides.rubyonrails.org/security.html#rotating-encrypted-and-signed-cookies-configurations', source: 'actionpack/lib/action_dispatch/middleware/cookies.rb (cookies_rotations)',
    checkedVersion: '7.1 guide', proof: 'documentation',
  },
];

/** The row for `id`. */
export function sessionFramework(id: SessionFrameworkId): SessionFramework {
  const f = SESSION_FRAMEWORKS.find((x) => x.id === id);
  if (!f) throw new Error(`unknown session framework ${id}`);
  return f;
}

/** The row whose `consumers` include `consumer` (the library name the consumer scan reports). */
export function frameworkForConsumer(consumer: string): SessionFramework | undefined {
  return SESSION_FRAMEWORKS.find((f) => f.consumers.includes(consumer));
}
