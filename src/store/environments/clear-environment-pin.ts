import type { SqlSession } from '../database.js';

/** Removes the pin; false when the environment was not pinned. */
export async function clearEnvironmentPin(db: SqlSession, environmentId: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM environment_pins WHERE environment_id = $1 RETURNING environment_id', [environmentId]);
  return rows.length === 1;
}
