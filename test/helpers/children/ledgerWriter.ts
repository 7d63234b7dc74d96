import { Ledger } from '../../../src/core/age/ledger';

/*
 * One writer of the ledger concurrency test: `node ledgerWriter.js STATE_DIR FILE KEY START_MS [stages]`.
 * Waits until START_MS so that every writer saves at about the same moment, then records one
 * observation and one rotation (saved once, as `rotate` does); with `stages`, then marks that
 * rotation verified and retired (each saved, as `verify` and `retire` do).
 */
async function main(): Promise<void> {
  const [dir, file, key, start] = process.argv.slice(2) as [string, string, string, string];
  const ledger = await Ledger.open(dir);
  while (Date.now() < Number(start)) await new Promise((r) => setTimeout(r, 1));
  const fp = ledger.fingerprint(`value-of-${key}`) as string;
  ledger.observe(file, key, fp, new Date('2026-01-01T00:00:00Z'));
  await ledger.recordRotation(file, key, fp, new Date('2026-02-01T00:00:00Z'));
  if (process.argv[6] === 'stages') {
    if (!(await ledger.recordVerified(file, key, fp, new Date('2026-02-02T00:00:00Z')))) throw new Error('not verified');
    if (!(await ledger.recordRetired(file, key, new Date('2026-02-01T00:00:00Z'), new Date('2026-02-03T00:00:00Z')))) throw new Error('not retired');
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  },
);
