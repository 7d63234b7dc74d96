import * as path from 'node:path';
import type { ComposeService } from './composeFile';
import type { Consumer, ConsumerRole } from './consumers';
import { datastoreOf } from './serviceRoles';

/*
 * The order in which consumers pick up a rotated credential: the credential's source first (the
 * database, cache or relay that checks it), then the main app, then background workers, then cron
 * jobs, backups and one-off tasks, and the CI secret store last. Compose `depends_on` breaks ties
 * inside a role: what others depend on restarts first. Restarting one thing at a time keeps the
 * blast radius small, and background tasks are where forgotten credentials show up first.
 */

export type RestartTarget = 'compose-service' | 'kubernetes-workload' | 'systemd-unit' | 'crontab' | 'script' | 'process' | 'ci';

/** One step of the restart order. Value-free. */
export interface RestartStep {
  /** 1-based position. */
  order: number;
  role: Exclude<ConsumerRole, 'incidental'>;
  /** Service, workload, unit, package folder or file name. */
  name: string;
  target: RestartTarget;
  /** A command or instruction that picks up the new value, e.g. `docker compose up -d --no-deps app`. */
  action: string;
  /** Why this step is where it is, or what to watch for. */
  note?: string;
  /** Absolute paths of the files whose consumers make up this step. */
  files: string[];
}

const ROLE_RANK: Record<Exclude<ConsumerRole, 'incidental'>, number> = { source: 0, app: 1, worker: 2, cron: 3, ci: 4 };

function composeCommand(file: string | undefined, root: string): string {
  if (!file) return 'docker compose';
  const rel = path.relative(root, file).split(path.sep).join('/');
  return /^(docker-)?compose\.ya?ml$/.test(rel) ? 'docker compose' : `docker compose -f ${rel}`;
}

/** Depth of each service in the `depends_on` graph: what nothing depends on comes last. */
function dependencyDepth(services: ComposeService[]): Map<string, number> {
  const byName = new Map(services.map((s) => [s.name, s]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0; // a cycle: compose refuses it anyway
    visiting.add(name);
    let d = 0;
    for (const dep of byName.get(name)?.dependsOn ?? []) d = Math.max(d, visit(dep) + 1);
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  for (const s of services) visit(s.name);
  return depth;
}

interface Group {
  role: Exclude<ConsumerRole, 'incidental'>;
  name: string;
  target: RestartTarget;
  consumers: Consumer[];
  firstSeen: number;
}

/**
 * Builds the restart order from the consumers found for a key. Consumers marked `incidental`
 * (a datastore that receives the whole `.env` but does not read this key) are left out.
 */
export function buildRestartOrder(
  consumers: Consumer[],
  services: ComposeService[],
  workspaceRoot: string,
  key: string,
  options: { sources?: string[] } = {},
): RestartStep[] {
  const root = path.resolve(workspaceRoot);
  const composeNames = new Set(services.map((s) => s.name));
  const groups = new Map<string, Group>();
  // Services named as the credential's source (the host of a connection URL) lead, even when
  // they read no key themselves.
  for (const name of options.sources ?? []) {
    if (composeNames.has(name)) groups.set(`compose-service\0${name}`, { role: 'source', name, target: 'compose-service', consumers: [], firstSeen: -1 });
  }
  consumers.forEach((c, i) => {
    if (c.role === 'incidental') return;
    const rel = path.relative(root, c.file).split(path.sep).join('/');
    let target: RestartTarget;
    let name: string;
    if (c.role === 'ci') {
      target = 'ci';
      name = rel;
    } else if (c.via === 'kubernetes') {
      target = 'kubernetes-workload';
      name = c.service ?? rel;
    } else if (c.via === 'systemd') {
      target = 'systemd-unit';
      name = path.basename(c.file);
    } else if (c.service !== undefined && composeNames.has(c.service) && (c.via.startsWith('compose-') || c.via === 'code' || c.via === 'dockerfile' || c.via === 'shell' || c.via === 'crontab')) {
      target = 'compose-service';
      name = c.service;
    } else if (c.via === 'crontab') {
      target = 'crontab';
      name = rel;
    } else if (c.via === 'shell') {
      target = 'script';
      name = rel;
    } else {
      target = 'process';
      name = c.service ?? rel;
    }
    const id = `${target}\0${name}`;
    const g = groups.get(id);
    if (g) {
      g.consumers.push(c);
      if (ROLE_RANK[c.role] < ROLE_RANK[g.role]) g.role = c.role;
    } else {
      groups.set(id, { role: c.role, name, target, consumers: [c], firstSeen: i });
    }
  });

  const depth = dependencyDepth(services);
  const sorted = [...groups.values()].sort(
    (a, b) =>
      ROLE_RANK[a.role] - ROLE_RANK[b.role] ||
      (a.target === 'compose-service' ? depth.get(a.name) ?? 0 : 0) - (b.target === 'compose-service' ? depth.get(b.name) ?? 0 : 0) ||
      a.name.localeCompare(b.name),
  );
  const serviceByName = new Map(services.map((s) => [s.name, s]));
  const serviceFile = (name: string): string => serviceByName.get(name)?.file ?? '';
  return sorted.map((g, i) => {
    const files = [...new Set(g.consumers.length ? g.consumers.map((c) => c.file) : [serviceFile(g.name)])].filter((f) => f !== '').sort();
    const step: RestartStep = { order: i + 1, role: g.role, name: g.name, target: g.target, action: '', files };
    switch (g.target) {
      case 'compose-service': {
        const service = serviceByName.get(g.name);
        const dc = composeCommand(service?.file, root);
        const baked = g.consumers.some((c) => c.via === 'dockerfile' && c.copy);
        const store = g.role === 'source' ? datastoreOf(service?.image) : undefined;
        step.action = store
          ? `change the credential inside ${g.name} (${store.name}) first; it does not need a restart for that`
          : `${dc} up -d --no-deps${baked ? ' --build' : ''} ${g.name}`;
        if (store) step.note = `Its environment variables only apply when its data is first initialised; a later \`${dc} up -d\` recreates it because its environment changed, which briefly drops connections`;
        else if (g.role === 'source') step.note = 'Change the credential inside this service first.';
        else if (g.role === 'cron') step.note = 'Run it once by hand after the restart and check that it authenticates.';
        else step.note = '`up -d` recreates the container with the new environment; `docker compose restart` would keep the old one.';
        if (baked) step.note = `The image bakes ${key} in with ENV: rebuild it, and better, pass the value at run time instead.`;
        break;
      }
      case 'kubernetes-workload': {
        const cron = g.consumers.some((c) => /\((CronJob|Job) /.test(c.detail));
        const kind = /\((\w+) /.exec(g.consumers[0]?.detail ?? '')?.[1]?.toLowerCase() ?? 'deployment';
        step.action = cron ? `update the Secret; the next ${g.name} run picks it up` : `kubectl rollout restart ${kind}/${g.name}`;
        break;
      }
      case 'systemd-unit':
        step.action = g.name.endsWith('.timer') ? `the next run of ${g.name} picks it up` : `sudo systemctl restart ${g.name}`;
        if (g.consumers.some((c) => c.copy)) step.note = `The unit holds its own copy of ${key} (Environment=): update it, then \`systemctl daemon-reload\`.`;
        break;
      case 'crontab':
        step.action = `cron starts each job with the environment it is given; run the job from ${g.name} once by hand`;
        if (g.consumers.some((c) => c.copy)) step.note = `The crontab sets ${key} itself: update that copy too.`;
        break;
      case 'script':
        step.action = `run ${g.name} once by hand and check that it authenticates`;
        if (g.consumers.some((c) => c.copy)) step.note = `The script sets ${key} itself: update that copy too.`;
        break;
      case 'process':
        step.action = `restart the process that runs ${g.name}`;
        break;
      case 'ci': {
        const names = [...new Set(g.consumers.map((c) => c.key))].join(', ');
        step.action = g.consumers.some((c) => c.via === 'ci-secret')
          ? `update the CI secret ${names} (repository or environment settings), then re-run ${g.name}`
          : `update ${names} where ${g.name} gets it, then re-run it`;
        break;
      }
    }
    return step;
  });
}
