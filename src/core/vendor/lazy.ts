import type * as YamlModule from 'yaml';
import type * as PgModule from 'pg';
import type * as RedisModule from '@redis/client';
import type * as NodemailerModule from 'nodemailer';

/*
 * Libraries that only some operations need (compose/CI parsing) are loaded on first
 * use, so activating the extension or starting a git hook does not pay for them. The extension
 * build also ships them as separate files (dist/vendor/*.js, see esbuild.js).
 */

let yamlModule: typeof YamlModule | undefined;

/** The `yaml` package, loaded on first call. */
export function yaml(): typeof YamlModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlModule ??= require('yaml') as typeof YamlModule);
}

/*
 * Server drivers for live verification and rotation. Only `rekey verify`, `rekey rotate --live`
 * and the editor's Verify Secrets reach them.
 */
let pgModule: typeof PgModule | undefined;
let redisModule: typeof RedisModule | undefined;
let nodemailerModule: typeof NodemailerModule | undefined;

/** The `pg` PostgreSQL client, loaded on first call. */
export function pgLib(): typeof PgModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (pgModule ??= require('pg') as typeof PgModule);
}

/** The node-redis core client (`@redis/client`), loaded on first call. */
export function redisLib(): typeof RedisModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (redisModule ??= require('@redis/client') as typeof RedisModule);
}

/** `nodemailer` (SMTP AUTH checks), loaded on first call. */
export function nodemailerLib(): typeof NodemailerModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (nodemailerModule ??= require('nodemailer') as typeof NodemailerModule);
}
