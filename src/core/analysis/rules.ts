import { ageRules } from '../analysis/ageRules';
import { backupRules } from '../backup/backupRules';
import { secretRules } from '../detect/secretRules';
import { historyRules } from '../git/historyRules';
import { previousSecretRules } from '../rotation/zeroLogout/retireRules';
import { parseRules } from './parseRules';
import type { RuleProvider } from '../findings/scanContext';

/**
 * Every rule family `rekey scan` and the editor run, in order. Each family lives in its own
 * module and is listed here once.
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
