import type { SecretAgeReport } from '../age/collectAges';
import { KINDS } from '../catalog/kinds';
import type { Finding } from '../findings/finding';
import { registerRules } from '../findings/ruleInfo';
import type { RuleProvider } from '../findings/scanContext';
import { secretAgesForScan } from './secretAges';

registerRules([
  { id: 'rotation-overdue', name: 'RotationOverdue', description: 'A secret whose current value is older than its rotation interval (the kind\'s default or the configured one).', severity: 'warning', security: true },
  { id: 'rotation-due-soon', name: 'RotationDueSoon', description: 'A secret that reaches its rotation interval within the due-soon window (14 days by default).', severity: 'info' },
]);

function describe(r: SecretAgeReport): string {
  const day = r.since?.toISOString().slice(0, 10);
  if (r.bound === 'exact') return `in use since ${day} (${r.detail}), ${r.ageDays} days`;
  if (r.bound === 'at-least') return `in use for at least ${r.ageDays} days (${r.detail})`;
  return `in use for at most ${r.ageDays} days (${r.detail})`;
}

/**
 * `rotation-overdue` and `rotation-due-soon` for every secret of every live file, from the ages
 * pipeline (`secretAgesForScan`, settings in `settings.age`).
 */
export const ageRules: RuleProvider = {
  id: 'age',
  async run(ctx) {
    const { reports } = await secretAgesForScan(ctx);
    const out: Finding[] = [];
    for (const r of reports) {
      if (r.status !== 'overdue' && r.status !== 'due-soon') continue;
      const kindName = KINDS[r.kind].name;
      const overdue = r.status === 'overdue';
      const when = overdue
        ? `the rotation interval is ${r.intervalDays} days: rotate it`
        : r.dueInDays !== undefined
          ? `due for rotation in ${r.dueInDays} day${r.dueInDays === 1 ? '' : 's'} (interval ${r.intervalDays} days)`
          : `due for rotation within ${r.intervalDays - (r.minAgeDays ?? 0)} days (interval ${r.intervalDays} days)`;
      out.push({
        file: r.file,
        range: r.range,
        key: r.key,
        rule: overdue ? 'rotation-overdue' : 'rotation-due-soon',
        severity: overdue ? 'warning' : 'info',
        message: `${r.key} (${kindName}) is ${describe(r)}; ${when}.`,
        kind: r.kind,
        intervalDays: r.intervalDays,
        data: { since: r.since ? r.since.toISOString() : null, ageDays: r.ageDays ?? null, source: r.source, bound: r.bound ?? null, status: r.status },
      });
    }
    return out;
  },
};
