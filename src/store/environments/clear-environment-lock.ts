import type { SqlSession } from '../database.js';

/**
 * Releases an environment's lock; with `holder`, only that holder's lock. False when nothing
 * was released (not locked, or locked by someone else).
 */
export async function clearEnvironmentLock(
  db: SqlSession,
  environmentKey: string,
  options: { holder?: string } = {},
): Promise<boolean> {
  const rows = await db.query(
    `DELETE FROM environment_locks WHERE environment_id = $1 AND ($2::text IS NULL OR holder = $2) RETURNING environment_id`,
    [environmentKey, options.holder ?? null],
  );
  return rows.length === 1;
}
