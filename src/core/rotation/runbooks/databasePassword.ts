import { applyStep, code, composeServices, logCheck, servicesInRole, shell, sourceOfTruthStep } from './sections';
import { NEW_VALUE, type KindRunbook, type RunbookContext, type RunbookStepSpec } from './types';

type Engine = 'postgres' | 'mysql' | 'mongodb' | 'other';

function engineOf(ctx: RunbookContext): Engine {
  const hint = `${ctx.source?.datastore ?? ''} ${ctx.urlPassword?.scheme ?? ''} ${ctx.key}`.toLowerCase();
  if (/postgres|pg|psql/.test(hint)) return 'postgres';
  if (/mysql|maria/.test(hint)) return 'mysql';
  if (/mongo/.test(hint)) return 'mongodb';
  return 'other';
}

/** The database-side change, per engine, with the value typed at a prompt rather than on a command line. */
export function changeAtDatabase(ctx: RunbookContext): string {
  const svc = ctx.source?.service ?? 'db';
  switch (engineOf(ctx)) {
    case 'postgres':
      return `Change the role's password in PostgreSQL first, typing ${code(NEW_VALUE)} at the prompt so it stays out of shell history and process lists:\n\n${shell(
        `docker compose exec ${svc} psql -U <role>`,
        `# then, inside psql:`,
        `\\password <role>`,
      )}\n\nPostgreSQL keeps one password per role, but connections already open stay open: the old password is only needed by new connections. For a real overlap, give consumers a second login role that is a member of the first and move them one at a time. The container's ${code('POSTGRES_PASSWORD')} only applies when its data folder is first created; changing it alone changes nothing in a running database.`;
    case 'mysql':
      return `Change the account's password in MySQL first. MySQL 8.0.14 and later can keep the old password valid next to the new one, which gives a true dual window:\n\n${shell(
        `docker compose exec ${svc} mysql -u root -p`,
        `-- then, inside mysql:`,
        `ALTER USER '<user>'@'%' IDENTIFIED BY '${NEW_VALUE}' RETAIN CURRENT PASSWORD;`,
      )}`;
    case 'mongodb':
      return `Change the user's password in MongoDB first: in ${code(`docker compose exec ${svc} mongosh`)}, run ${code('db.changeUserPassword("<user>", passwordPrompt())')} so the value is typed at a prompt.`;
    default:
      return `Change the password at the database server first, the way its documentation describes (prefer a prompt over a command line, so ${code(NEW_VALUE)} stays out of shell history). If the server can keep the old password valid next to the new one, use that.`;
  }
}

/** Retiring the old password, per engine. */
export function retireAtDatabase(ctx: RunbookContext): string {
  switch (engineOf(ctx)) {
    case 'mysql':
      return `Discard the old password: ${code("ALTER USER '<user>'@'%' DISCARD OLD PASSWORD;")}`;
    case 'postgres':
      return 'If you used a second login role for the overlap, drop the one nobody uses any more; otherwise the old password stopped working when you changed it. Close idle connections that still run on it: restarting the consumers did that.';
    default:
      return 'Make sure the old password no longer works (try it once from a shell on the server).';
  }
}

/** Steps shared by database passwords and connection URLs. */
export function databaseSteps(ctx: RunbookContext): RunbookStepSpec[] {
  const pause = [...servicesInRole(ctx, 'worker'), ...servicesInRole(ctx, 'cron')];
  return [
    pause.length
      ? `Decide whether to pause background work first (${pause.map(code).join(', ')}): a worker or backup that starts halfway through the change fails, and those are where forgotten credentials surface first.`
      : 'Check for background jobs, backups or migrations that connect on their own schedule, and pause them during the change.',
    { text: changeAtDatabase(ctx), needsNewValue: true },
    applyStep(ctx),
    `Inspect what Compose will hand to each service before restarting anything: ${code('docker compose config')} (values are shown: do not paste the output anywhere).`,
    { restart: true },
    sourceOfTruthStep(ctx),
  ];
}

/** Checks shared by database passwords and connection URLs. */
export function databaseVerify(ctx: RunbookContext): string[] {
  const cron = servicesInRole(ctx, 'cron');
  return [
    'The app loads and performs an action that reads and writes the database.',
    servicesInRole(ctx, 'worker').length ? `A queued job runs to completion on ${servicesInRole(ctx, 'worker').map(code).join(', ')}.` : 'Background jobs (if any) still connect.',
    cron.length ? `Run ${cron.map(code).join(', ')} once by hand: backups and scheduled jobs are the consumers most often forgotten.` : 'The next backup connects (run it once by hand rather than waiting for the night).',
    logCheck(ctx),
    `No service still connects with the old password: ${composeServices(ctx).length ? 'every service above restarted after the change' : 'every process that loads the file restarted'}.`,
  ];
}

/** Database passwords: change the role first, keep the old one valid until every consumer reconnects. */
export const databasePasswordRunbook: KindRunbook = {
  kind: 'database-password',
  intro: (ctx) =>
    `${code(ctx.key)} is a database password. The database, the app, the workers, backup jobs, migrations and importers all have to agree on it, and the most common failure is one of them left behind: the app works, the nightly backup does not. Change it at the database first, keep the old one usable while consumers move over, and restart in order.`,
  steps: databaseSteps,
  verify: databaseVerify,
  revoke: (ctx) => [retireAtDatabase(ctx), `Delete ${code(ctx.backup)} and any other copy of the old password (old backups of the file, CI variables).`],
  record: () => ['Every consumer that connects to the database, as it turned out: the next rotation starts from this list.'],
};
