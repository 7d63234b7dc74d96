import * as assert from 'node:assert/strict';
import { compareEnv, describeBackupChanges } from '../../../../src/core/backup/compare';
import { parseEnv } from '../../../../src/core/env/parse';
import { Fingerprinter } from '../../../../src/core/state/fingerprint';

const CANARY_NEW = 'CANARYnew8e7d6c5b4a39';
const CANARY_OLD = 'CANARYold1a2b3c4d5e6f';

function side(text: string): { text: string; parsed: ReturnType<typeof parseEnv> } {
  return { text, parsed: parseEnv(text) };
}

describe('compareEnv', () => {
  it('reports changed, added, removed and unchanged keys by their effective (last) definition', () => {
    const live = parseEnv('A=1\nB=2\nB=3\nD=4\n');
    const backup = parseEnv('A=1\nB=3\nC=9\nB=2\n');
    const out = compareEnv(live, backup).map((c) => `${c.key}:${c.change}`);
    assert.deepEqual(out, ['A:unchanged', 'B:changed', 'D:added', 'C:removed']);
  });

  it('compares values as dotenv reads them, not their spelling', () => {
    const out = compareEnv(parseEnv('A="x"\nexport B=y # c\n'), parseEnv("A=x\nB='y'\n"));
    assert.deepEqual(out.map((c) => c.change), ['unchanged', 'unchanged']);
  });
});

describe('describeBackupChanges', () => {
  it('names the kind and impact of changed secrets, with error severity for session-signing and encryption keys', () => {
    const changes = describeBackupChanges(
      side(`# rekey: kind=session-signing\nSESSION_SECRET=${CANARY_NEW}\n# rekey: kind=encryption-key\nAPP_ENCRYPTION_KEY=${CANARY_NEW}\nSTRIPE_API_KEY=${CANARY_NEW}\nPORT=3001\n`),
      side(`SESSION_SECRET=${CANARY_OLD}\nAPP_ENCRYPTION_KEY=${CANARY_OLD}\nSTRIPE_API_KEY=${CANARY_OLD}\nPORT=3000\n`),
    );
    const by = new Map(changes.map((c) => [c.key, c]));
    assert.equal(by.get('SESSION_SECRET')?.kind, 'session-signing');
    assert.equal(by.get('SESSION_SECRET')?.severity, 'error');
    assert.match(by.get('SESSION_SECRET')?.impact ?? '', /every user must log in again/);
    assert.match(by.get('SESSION_SECRET')?.impact ?? '', /restoring the previous value restores/);
    assert.equal(by.get('APP_ENCRYPTION_KEY')?.severity, 'error');
    assert.match(by.get('APP_ENCRYPTION_KEY')?.impact ?? '', /cannot be decrypted until it is re-encrypted/);
    assert.match(by.get('APP_ENCRYPTION_KEY')?.impact ?? '', /Do not discard the previous key/);
    assert.equal(by.get('STRIPE_API_KEY')?.severity, 'warning');
    assert.deepEqual({ secret: by.get('PORT')?.secret, kind: by.get('PORT')?.kind, severity: by.get('PORT')?.severity }, { secret: false, kind: undefined, severity: undefined });
    assert.ok(!JSON.stringify(changes).includes('CANARY'), 'no value in the description');
  });

  it('takes the kind from a consumer hint whatever the name says', () => {
    const changes = describeBackupChanges(side(`PROXYOS_SECRET=${CANARY_NEW}\n`), side(`PROXYOS_SECRET=${CANARY_OLD}\n`), {
      detect: { kindHints: new Map([['PROXYOS_SECRET', { kind: 'session-signing' as const, detail: 'src/auth.ts:7' }]]) },
    });
    assert.equal(changes[0]?.kind, 'session-signing');
    assert.equal(changes[0]?.severity, 'error');
  });

  it('keeps the kind of a secret whose live value was emptied by a template regeneration', () => {
    const changes = describeBackupChanges(side('SESSION_SECRET=\n'), side(`# rekey: kind=session-signing\nSESSION_SECRET=${CANARY_OLD}\n`));
    assert.equal(changes[0]?.kind, 'session-signing');
    assert.equal(changes[0]?.change, 'changed');
  });

  it('adds short keyed fingerprints of both sides when asked, never the values', () => {
    const fp = new Fingerprinter(Buffer.alloc(32, 7));
    const [c] = describeBackupChanges(side(`JWT_SECRET=${CANARY_NEW}\n`), side(`JWT_SECRET=${CANARY_OLD}\n`), { fingerprinter: fp });
    assert.deepEqual(c?.fingerprints, { live: fp.short(CANARY_NEW), backup: fp.short(CANARY_OLD) });
    assert.notEqual(c?.fingerprints?.live, c?.fingerprints?.backup);
  });

  it('lists unchanged keys when asked, each side with its own fingerprint, and the impact only where a secret changed or went', () => {
    const fp = new Fingerprinter(Buffer.alloc(32, 9));
    const live = side(`JWT_SECRET=${CANARY_NEW}\nSESSION_SECRET=${CANARY_OLD}\nSTRIPE_SECRET_KEY=sk_live_${CANARY_NEW}\n`);
    const backup = side(`JWT_SECRET=${CANARY_OLD}\nSESSION_SECRET=${CANARY_OLD}\nREDIS_PASSWORD=${CANARY_OLD}\n`);
    const all = describeBackupChanges(live, backup, { fingerprinter: fp, includeUnchanged: true });
    assert.deepEqual(all.map((c) => `${c.key}:${c.change}`), ['JWT_SECRET:changed', 'SESSION_SECRET:unchanged', 'STRIPE_SECRET_KEY:added', 'REDIS_PASSWORD:removed']);
    const by = new Map(all.map((c) => [c.key, c]));
    assert.deepEqual(by.get('SESSION_SECRET')?.fingerprints, { live: fp.short(CANARY_OLD), backup: fp.short(CANARY_OLD) });
    assert.deepEqual(by.get('STRIPE_SECRET_KEY')?.fingerprints, { live: fp.short(`sk_live_${CANARY_NEW}`) });
    assert.deepEqual(by.get('REDIS_PASSWORD')?.fingerprints, { backup: fp.short(CANARY_OLD) });
    assert.equal(by.get('SESSION_SECRET')?.impact, undefined, 'an unchanged secret has no impact line');
    assert.equal(by.get('STRIPE_SECRET_KEY')?.impact, undefined, 'nor has an added one');
    assert.ok(by.get('JWT_SECRET')?.impact && by.get('REDIS_PASSWORD')?.impact);
    for (const v of [CANARY_NEW, CANARY_OLD]) assert.ok(!JSON.stringify(all.map(({ key, change, kind, impact, fingerprints }) => ({ key, change, kind, impact, fingerprints }))).includes(v));
    assert.equal(describeBackupChanges(live, backup).some((c) => c.change === 'unchanged'), false, 'unchanged keys are left out by default');
  });

  it('can leave out keys that are not secrets', () => {
    const changes = describeBackupChanges(side('PORT=1\nJWT_SECRET=a1\n'), side('PORT=2\nJWT_SECRET=b2\n'), { includeNonSecrets: false });
    assert.deepEqual(changes.map((c) => c.key), ['JWT_SECRET']);
  });
});
