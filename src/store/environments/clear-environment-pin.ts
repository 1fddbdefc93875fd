import type { SqlSession } from '../database.js';
import { fenced } from '../jobs/fenced.js';
import type { JobFence } from '../jobs/job-lease.js';

/** Removes the pin; false when the environment was not pinned. With a fence, refused (LeaseLostError) once the job lost its lease. */
export async function clearEnvironmentPin(db: SqlSession, environmentId: string, fence?: JobFence): Promise<boolean> {
  const rows = await fenced(db, fence, (tx) => tx.query('DELETE FROM environment_pins WHERE environment_id = $1 RETURNING environment_id', [environmentId]));
  return rows.length === 1;
}
