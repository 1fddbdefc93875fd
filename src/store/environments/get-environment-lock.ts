import type { SqlSession } from '../database.js';
import { toEnvironmentLock, type EnvironmentLock, type EnvironmentLockRow } from './environment-lock.js';

export async function getEnvironmentLock(db: SqlSession, environmentKey: string): Promise<EnvironmentLock | null> {
  const rows = await db.query<EnvironmentLockRow>('SELECT * FROM environment_locks WHERE environment_id = $1', [environmentKey]);
  return rows[0] ? toEnvironmentLock(rows[0]) : null;
}
