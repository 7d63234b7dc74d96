import type { LiveDriver, ServiceKind } from '../types';
import { postgresDriver } from './postgres';
import { redisDriver } from './redis';
import { smtpDriver } from './smtp';

/** The drivers rekey ships, by service. MySQL/MariaDB has none yet: its targets are skipped. */
export const DRIVERS: Partial<Record<ServiceKind, LiveDriver>> = {
  postgres: postgresDriver,
  redis: redisDriver,
  smtp: smtpDriver,
};
