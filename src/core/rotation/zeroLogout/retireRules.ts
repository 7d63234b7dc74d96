import type { Finding } from '../../findings/finding';
import { registerRules } from '../../findings/ruleInfo';
import type { RuleProvider } from '../../findings/scanContext';
import { findPreviousSecrets, isDue } from './retire';

registerRules([
  {
    id: 'previous-secret-retirable', name: 'PreviousSecretRetirable', severity: 'info',
    description: 'A previous signing secret kept by a zero-logout rotation whose retire-by date has come: every session signed with it has expired, so it can be removed.',
  },
]);

/**
 * `previous-secret-retirable`: entries marked `# rekey-previous: ... retire-by=DATE` whose date
 * has come. Value-free: names and dates only.
 */
export const previousSecretRules: RuleProvider = {
  id: 'previous-secret',
  run(ctx) {
    const now = ctx.options.now ?? new Date();
    const out: Finding[] = [];
    for (const file of ctx.files) {
      if (file.text === undefined || !file.text.includes('rekey-previous') || file.role === 'backup') continue;
      for (const p of findPreviousSecrets(file.text, file.parsed)) {
        if (!isDue(p.mark, now)) continue;
        const what = p.mark.promote
          ? `${p.entry.key} holds the new ${p.mark.of} since a zero-logout rotation; the old value has been unused since ${p.mark.retireBy}. Retire it: \`rekey retire-previous ${p.mark.of}\` moves ${p.entry.key} into ${p.mark.of}.`
          : `${p.entry.key} keeps the previous ${p.mark.of} for sessions signed before the rotation; they have expired since ${p.mark.retireBy}. Retire it: \`rekey retire-previous ${p.mark.of}\` removes it.`;
        out.push({
          file: file.path, range: p.entry.range, key: p.entry.key, rule: 'previous-secret-retirable', severity: 'info', message: what,
          data: { of: p.mark.of, retireBy: p.mark.retireBy, layout: p.mark.promote ? 'promote' : 'remove', ...(p.mark.framework ? { framework: p.mark.framework } : {}) },
        });
      }
    }
    return out;
  },
};
