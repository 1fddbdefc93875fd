import type { SqlSession } from '../database.js';
import { toEnvironmentLock, type EnvironmentLock, type EnvironmentLockRow } from './environment-lock.js';

export async function getEnvironmentLock(db: SqlSession, environmentId: string): Promise<EnvironmentLock | null> {
  const rows = await db.query<EnvironmentLockRow>('SELECT * FROM environment_locks WHERE environment_id = $1', [environmentId]);
  return rows[0] ? toEnvironmentLock(rows[0]) : null;
}
