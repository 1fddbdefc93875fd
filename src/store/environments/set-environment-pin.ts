import type { SqlSession } from '../database.js';
import { toEnvironmentPin, type EnvironmentPin, type EnvironmentPinRow } from './environment-pin.js';

/** Pins an environment to `sha`, replacing any earlier pin. */
export async function setEnvironmentPin(
  db: SqlSession,
  pin: { environmentId: string; sha: string; reason?: string | null; pinnedBy?: string | null },
): Promise<EnvironmentPin> {
  const rows = await db.query<EnvironmentPinRow>(
    `INSERT INTO environment_pins (environment_id, sha, reason, pinned_by)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (environment_id) DO UPDATE
       SET sha = excluded.sha, reason = excluded.reason, pinned_by = excluded.pinned_by, created_at = now()
     RETURNING *`,
    [pin.environmentId, pin.sha, pin.reason ?? null, pin.pinnedBy ?? null],
  );
  return toEnvironmentPin(rows[0]!);
}
