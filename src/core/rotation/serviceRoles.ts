/*
 * What part a consumer plays when a credential changes, which decides when it restarts: the
 * credential's source first (the database, cache or mail relay that checks it), then the main app,
 * then background workers, then cron jobs, backups and one-off tasks. Names, images and commands
 * are all operators give us, so the classification reads those.
 */

/** Restart-order role of a consumer. `incidental`: receives the key but does not use it. */
export type ConsumerRole = 'source' | 'app' | 'worker' | 'cron' | 'ci' | 'incidental';

const CRON_RE = /(^|[^a-z])(cron|crond|crontab|cronjob|schedule[dr]?|backups?|pg_?dump|mysqldump|mongodump|restic|one-?off|oneshot|migrat(e|ions?|or)|seed|beat|timer)([^a-z]|$)/i;
const WORKER_RE = /(^|[^a-z])(workers?|queues?|sidekiq|celery|jobs?|consumers?|bull(mq)?|resque|rq|horizon|delayed_job|good_job|solid_queue|temporal|processors?)([^a-z]|$)/i;

/** Datastore and relay images, and the variables each one reads at start-up. */
const DATASTORES: Array<{ image: RegExp; name: string; reads: RegExp; server: RegExp }> = [
  { image: /^(postgres|postgis|timescaledb(-ha)?|pgvector)$/, name: 'PostgreSQL', reads: /^(POSTGRES_(PASSWORD|USER|DB)|PGPASSWORD)$/, server: /^(postgres|docker-entrypoint)/ },
  { image: /^(mysql|mariadb|percona)$/, name: 'MySQL', reads: /^(MYSQL|MARIADB)_\w*(PASSWORD|USER|DATABASE)\w*$/, server: /^(mysqld|mariadbd|docker-entrypoint)/ },
  { image: /^mongo(db)?$/, name: 'MongoDB', reads: /^MONGO_INITDB_\w+$/, server: /^(mongod|docker-entrypoint)/ },
  { image: /^(redis|valkey|keydb|redis-stack(-server)?|dragonfly)$/, name: 'Redis', reads: /^(REDIS|VALKEY)_\w*PASS\w*$/, server: /^(redis-server|valkey-server|keydb-server|docker-entrypoint)/ },
  { image: /^rabbitmq$/, name: 'RabbitMQ', reads: /^RABBITMQ_DEFAULT_\w+$/, server: /^(rabbitmq-server|docker-entrypoint)/ },
  { image: /^minio$/, name: 'MinIO', reads: /^MINIO_ROOT_\w+$/, server: /^(minio|server)/ },
  { image: /^(mailpit|mailhog|postfix|docker-mailserver|smtp|exim4?|maddy)$/, name: 'mail relay', reads: /^(SMTP|MAIL|MP|RELAY)_\w*$/, server: /./ },
  { image: /^(coturn|turnserver)$/, name: 'TURN server', reads: /^TURN_\w+$/, server: /^(turnserver|docker-entrypoint)/ },
  { image: /^(clickhouse-server|clickhouse|elasticsearch|opensearch|nats|memcached|cassandra|influxdb)$/, name: 'datastore', reads: /PASS|SECRET|TOKEN/, server: /./ },
];

/** The repository part of an image reference, without registry, namespace or tag. */
function imageName(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const last = noDigest.split('/').pop() ?? noDigest;
  return (last.split(':')[0] ?? last).toLowerCase();
}

/** The datastore an image runs, if it is one rekey knows. */
export function datastoreOf(image: string | undefined): { name: string; reads: RegExp; server: RegExp } | undefined {
  if (!image) return undefined;
  const name = imageName(image);
  return DATASTORES.find((d) => d.image.test(name));
}

export interface ServiceDescription {
  name: string;
  image?: string;
  /** `command` and `entrypoint`, joined. */
  command?: string;
}

/** Role of a compose service (or Kubernetes workload, systemd unit) from its name, image and command. */
export function classifyService(s: ServiceDescription): Exclude<ConsumerRole, 'ci' | 'incidental'> {
  const store = datastoreOf(s.image);
  const command = s.command?.trim() ?? '';
  // A datastore image running its own server is the credential's source, whatever it is called;
  // the same image running a script (pg_dump in a backup container) is a client.
  if (store && (command === '' || store.server.test(command)) && !CRON_RE.test(s.name)) return 'source';
  if (CRON_RE.test(s.name) || CRON_RE.test(command)) return 'cron';
  if (WORKER_RE.test(s.name) || WORKER_RE.test(command)) return 'worker';
  if (store) return 'source';
  return 'app';
}

/** Role of a file that no service claims, from its path (`apps/worker/...`, `scripts/backup.sh`). */
export function classifyPath(relPath: string, fallback: Exclude<ConsumerRole, 'incidental'> = 'app'): Exclude<ConsumerRole, 'incidental'> {
  const parts = relPath.split('/');
  const name = parts.join(' ').replace(/\.[a-z0-9]+$/i, '');
  if (CRON_RE.test(name)) return 'cron';
  if (WORKER_RE.test(name)) return 'worker';
  return fallback;
}
