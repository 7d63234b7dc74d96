import type { RotationInfo } from './secretAge';

/**
 * One value-free sentence on where the rotation that wrote the current value stands, the same
 * words in the hover, the Secrets view and the CLI: e.g. `rotated by rekey on 2026-12-02, not yet
 * verified: run Verify Secrets (rekey verify) once the new value is deployed`.
 */
export function rotationStageText(r: RotationInfo): string {
  const on = r.rotatedOn.slice(0, 10);
  switch (r.stage) {
    case 'retired':
      return `rotated by rekey on ${on}, retired on ${(r.retiredOn ?? '').slice(0, 10)}: the backup of the old value was deleted`;
    case 'verified':
      return `rotated by rekey on ${on}, verified on ${(r.verifiedOn ?? '').slice(0, 10)}: delete the backup of the old value once the new value works everywhere (Retire Rotation Backup, rekey retire)`;
    case 'applied':
      return `rotated by rekey on ${on}, not yet verified: check the new value with Verify Secrets (rekey verify), then retire the backup`;
    case 'planned':
      return 'rotation planned, not yet applied';
  }
}
