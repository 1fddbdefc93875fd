import type { SqlSession } from '../database.js';
import { fenced } from '../jobs/fenced.js';
import type { JobFence } from '../jobs/job-lease.js';
import { toEnvironmentPin, type EnvironmentPin, type EnvironmentPinRow } from './environment-pin.js';

/** Pins an environment to `sha`, replacing any earlier pin; with a fence, refused (LeaseLostError) once the job lost its lease. */
export async function setEnvironmentPin(
  db: SqlSession,
  pin: { environmentKey: string; sha: string; reason?: string | null; pinnedBy?: string | null; revertPullNumber?: number | null },
  fence?: JobFence,
): Promise<EnvironmentPin> {
  const rows = await fenced(db, fence, (tx) => tx.query<EnvironmentPinRow>(
    `INSERT INTO environment_pins (environment_id, sha, reason, pinned_by, revert_pull_number)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (environment_id) DO UPDATE
       SET sha = excluded.sha, reason = excluded.reason, pinned_by = excluded.pinned_by,
           revert_pull_number = excluded.revert_pull_number, created_at = now()
     RETURNING *`,
    [pin.environmentKey, pin.sha, pin.reason ?? null, pin.pinnedBy ?? null, pin.revertPullNumber ?? null],
  ));
  return toEnvironmentPin(rows[0]!);
}
