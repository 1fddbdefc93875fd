import type { SqlSession } from '../database.js';

/**
 * Releases every lock one holder has among the environments whose id starts with `prefix`
 * (e.g. all of one repository's environments when its pull request merges or closes).
 * Returns the released environment ids.
 */
export async function clearLocksHeldBy(db: SqlSession, input: { environmentKeyPrefix: string; holder: string }): Promise<string[]> {
  const rows = await db.query<{ environment_id: string }>(
    `DELETE FROM environment_locks
      WHERE holder = $1 AND left(environment_id, length($2)) = $2
      RETURNING environment_id`,
    [input.holder, input.environmentKeyPrefix],
  );
  return rows.map((row) => row.environment_id);
}
