import { ageRules } from '../analysis/ageRules';
import { backupRules } from '../backup/backupRules';
import { secretRules } from '../detect/secretRules';
import { historyRules } from '../git/historyRules';
import { previousSecretRules } from '../rotation/zeroLogout/retireRules';
import { parseRules } from './parseRules';
import type { RuleProvider } from './scan';

/**
 * Every rule family `rekey scan` and the editor run, in order. Each issue's rules live in their
 * own module and are listed here once.
 */
export function defaultRuleProviders(): RuleProvider[] {
  return [
    parseRules,
    secretRules,
    backupRules,
    ageRules,
    historyRules,
    previousSecretRules,
  ];
}
