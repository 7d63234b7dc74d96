// Serialising a value is env's job (restoring a backup needs it too, and must not depend on rotation).
export { serializeEnvValue, UnwritableValueError } from '../env/serializeValue';
