import type { SqlSession } from '../database.js';
import { fenced } from '../jobs/fenced.js';
import type { JobFence } from '../jobs/job-lease.js';

/**
 * Removes the pin; with `revertPullNumber`, only a pin whose recorded revert pull request is that
 * one. False when nothing was removed. With a fence, refused (LeaseLostError) once the job lost its lease.
 */
export async function clearEnvironmentPin(
  db: SqlSession,
  environmentKey: string,
  fence?: JobFence,
  options: { revertPullNumber?: number } = {},
): Promise<boolean> {
  const rows = await fenced(db, fence, (tx) =>
    tx.query(
      `DELETE FROM environment_pins WHERE environment_id = $1 AND ($2::integer IS NULL OR revert_pull_number = $2) RETURNING environment_id`,
      [environmentKey, options.revertPullNumber ?? null],
    ),
  );
  return rows.length === 1;
}
