import { code, composeServices, logCheck, shell, sourceOfTruthStep, applyStep } from './sections';
import { NEW_VALUE, OLD_VALUE, type KindRunbook, type RunbookStepSpec } from './types';

/** Data encryption keys: re-encrypt with both keys, verify, then switch. */
export const encryptionKeyRunbook: KindRunbook = {
  kind: 'encryption-key',
  intro: (ctx) =>
    `${code(ctx.key)} encrypts stored data. Anything written with the old key can only be decrypted with the old key, so the order is fixed: keep the old key, re-encrypt the data while both keys are available, prove the new key reads everything, and only then let the application use the new key. Deploying the new key first leaves every stored record unreadable (and, for MFA secrets, locks users out).`,
  steps: (ctx) => {
    const newKey = ctx.newKey ?? `${ctx.key}_NEW`;
    const steps: RunbookStepSpec[] = [];
    steps.push(`Take a backup of the database (or wherever the encrypted data lives). It is the real rollback point: if re-encryption goes wrong halfway, restore it and run again.`);
    if (ctx.forced) {
      steps.push(applyStep(ctx, { prefix: '**Forced in-place replacement.** ', suffix: ` Nothing written with the old key can be decrypted after this until it is re-encrypted: keep ${code(OLD_VALUE)} from ${code(ctx.backup)} in a safe place before going on.` }));
    } else {
      steps.push(applyStep(ctx, { suffix: ` The running application keeps using ${code(ctx.key)}; ${code(newKey)} is only for the migration.` }));
    }
    steps.push(
      `Run the re-encryption with both keys in its environment: for every encrypted record, decrypt with the old key, encrypt with the new one using the same algorithm, and write it back. Make it skip records already under the new key, so it can be re-run after a failure.\n\n${shell(
        `# example: both keys passed to a one-off migration, never committed`,
        `docker compose run --rm --no-deps ${composeServices(ctx).find((s) => s !== ctx.source?.service) ?? 'app'} <your re-encryption command>`,
      )}`,
    );
    steps.push(`Check a sample of records across tables and ages: each must decrypt with the new key alone. Stop here if any does not.`);
    steps.push(
      ctx.forced
        ? `${code(ctx.key)} already holds the new key.`
        : `Switch: put the new key in ${code(ctx.key)} (move the value of ${code(newKey)} into it, delete ${code(newKey)} and its comment, and write ${code(`# rotated: YYYY-MM-DD`)} above ${code(ctx.key)}), keeping ${code(OLD_VALUE)} in your secrets manager.`,
    );
    steps.push({ restart: true });
    steps.push(sourceOfTruthStep(ctx));
    return steps;
  },
  verify: (ctx) => [
    'Open records that existed before the rotation (stored credentials, tokens, MFA enrolments): they decrypt and work.',
    'Create a new record and read it back.',
    `No consumer still has only the old key: every service listed above restarted after the switch, and ${code(NEW_VALUE)} is what ${code(ctx.key)} holds in every environment.`,
    logCheck(ctx),
  ],
  revoke: (ctx) => [
    `Retire the old key only when nothing needs it: database backups taken before the re-encryption still hold data encrypted with it, so keep it (offline, in the secrets manager) for as long as those backups are kept.`,
    `Remove it from the migration's environment and delete ${code(ctx.backup)} when that time has come.`,
  ],
  record: () => ['Which tables or columns were re-encrypted, how many records, and where the old key is archived until old backups expire.'],
};
