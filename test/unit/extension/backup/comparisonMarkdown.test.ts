import { strict as assert } from 'node:assert';
import { describeBackupChanges } from '../../../../src/core/backup/compare';
import { parseEnv } from '../../../../src/core/env/parse';
import { Fingerprinter } from '../../../../src/core/state/fingerprint';
import { comparisonSummary, renderComparisonMarkdown } from '../../../../src/extension/backup/comparisonMarkdown';

const OLD = 'CANARYold7Hq2Lm9Xv4Tb1Zw';
const NEW = 'CANARYnew3Kd8Pq5Rs2Wn6Yj';

function side(text: string): { text: string; parsed: ReturnType<typeof parseEnv> } {
  return { text, parsed: parseEnv(text) };
}

describe('extension/backup/comparisonMarkdown', () => {
  const fp = new Fingerprinter(Buffer.alloc(32, 3));
  const changes = describeBackupChanges(
    side(`PORT=8080\nSESSION_SECRET=${NEW}\nAPI_TOKEN=${OLD}\nNEW_FLAG=1\n`),
    side(`PORT=8080\nSESSION_SECRET=${OLD}\nAPI_TOKEN=${OLD}\nREDIS_PASSWORD=${OLD}\n`),
    { fingerprinter: fp, includeUnchanged: true },
  );

  it('lists every key with its status, kind and both fingerprints, changed first, then the impact', () => {
    const md = renderComparisonMarkdown({ file: '.env', backup: '.env.backup', changes, fingerprints: true });
    assert.match(md, /^# Compare `\.env` with `\.env\.backup`/);
    assert.match(md, /\*\*1 changed, 1 removed, 1 added, 2 same\*\*; 2 secrets changed or removed\./);
    assert.match(md, new RegExp(`\\| \\*\\*changed\\*\\* \\| \`SESSION_SECRET\` \\| 2 \\| session secret \\| \`${fp.short(OLD)}\` \\| \`${fp.short(NEW)}\` \\|`));
    assert.match(md, new RegExp(`\\| \\*\\*removed\\*\\* \\| \`REDIS_PASSWORD\` \\| 4 \\| [^|]+ \\| \`${fp.short(OLD)}\` \\| — \\|`));
    assert.match(md, /\| same \| `PORT` \| 1 \| not a secret \|/);
    const order = ['SESSION_SECRET', 'REDIS_PASSWORD', 'NEW_FLAG', 'PORT'].map((k) => md.indexOf(`| \`${k}\``));
    assert.deepEqual([...order].sort((a, b) => a - b), order, 'changed, removed, added, same');
    assert.match(md, /## What the changes do\n\n- `SESSION_SECRET` \(session secret, changed, \*\*critical\*\*\): All existing sessions are now invalid/);
    assert.match(md, /rekey: Reveal Values in Backup Diff/);
    for (const v of [OLD, NEW]) assert.ok(!md.includes(v), 'the comparison shows a value');
    assert.equal(comparisonSummary(changes), '1 changed, 1 removed, 1 added, 2 same');
  });

  it('still lists statuses when fingerprints are unavailable', () => {
    const bare = describeBackupChanges(side(`SESSION_SECRET=${NEW}\n`), side(`SESSION_SECRET=${OLD}\n`), { includeUnchanged: true });
    const md = renderComparisonMarkdown({ file: '.env', backup: '.env.backup', changes: bare, fingerprints: false });
    assert.match(md, /Fingerprints are unavailable/);
    assert.match(md, /\| \*\*changed\*\* \| `SESSION_SECRET` \| 1 \| session secret \| — \| — \|/);
  });
});
