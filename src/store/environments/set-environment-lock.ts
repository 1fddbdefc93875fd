import type { SqlSession } from '../database.js';
import { toEnvironmentLock, type EnvironmentLock, type EnvironmentLockRow } from './environment-lock.js';

/** 'locked' when `holder` now holds the lock (also when it already did); 'held' when someone else does. */
export type SetEnvironmentLockResult = { status: 'locked'; lock: EnvironmentLock } | { status: 'held'; lock: EnvironmentLock };

/** Takes an environment's lock if it is free. Atomic, so two `/lock` commands at once cannot both win. */
export async function setEnvironmentLock(
  db: SqlSession,
  input: { environmentKey: string; holder: string },
): Promise<SetEnvironmentLockResult> {
  const inserted = await db.query<EnvironmentLockRow>(
    `INSERT INTO environment_locks (environment_id, holder) VALUES ($1, $2)
     ON CONFLICT (environment_id) DO NOTHING
     RETURNING *`,
    [input.environmentKey, input.holder],
  );
  if (inserted[0]) return { status: 'locked', lock: toEnvironmentLock(inserted[0]) };
  const existing = await db.query<EnvironmentLockRow>('SELECT * FROM environment_locks WHERE environment_id = $1', [input.environmentKey]);
  // Released between our insert and our read: try once more.
  if (!existing[0]) return setEnvironmentLock(db, input);
  const lock = toEnvironmentLock(existing[0]);
  return { status: lock.holder === input.holder ? 'locked' : 'held', lock };
}
