import type { SqlSession } from "../database.js";
import { fenced } from "../jobs/fenced.js";
import type { JobFence } from "../jobs/job-lease.js";

/** An environment held at one SHA (e.g. after a rollback) until someone clears the pin. */
export interface EnvironmentPin {
  environmentKey: string;
  sha: string;
  /** Why, for people; never read back by Slipway. */
  reason: string | null;
  pinnedBy: string | null;
  /** The revert pull request Slipway opened for a `/rollback`: merging it (and no other) lifts the pin. */
  revertPullNumber: number | null;
  /** Only on an automatic rollback's pin: the commit that failed, the only one this pin holds back. */
  failedSha?: string;
  createdAt: Date;
}

interface EnvironmentPinRow {
  environment_id: string;
  sha: string;
  reason: string | null;
  pinned_by: string | null;
  revert_pull_number: number | null;
  failed_sha: string | null;
  created_at: Date;
}

function toEnvironmentPin(row: EnvironmentPinRow): EnvironmentPin {
  return {
    environmentKey: row.environment_id,
    sha: row.sha,
    reason: row.reason,
    pinnedBy: row.pinned_by,
    revertPullNumber: row.revert_pull_number === null ? null : Number(row.revert_pull_number),
    ...(row.failed_sha !== null ? { failedSha: row.failed_sha } : {}),
    createdAt: row.created_at,
  };
}

export async function getEnvironmentPin(db: SqlSession, environmentKey: string): Promise<EnvironmentPin | null> {
  const rows = await db.query<EnvironmentPinRow>("SELECT * FROM environment_pins WHERE environment_id = $1", [environmentKey]);
  return rows[0] ? toEnvironmentPin(rows[0]) : null;
}

/** Pins an environment to `sha`, replacing any earlier pin; with a fence, refused (LeaseLostError) once the job lost its lease. */
export async function setEnvironmentPin(
  db: SqlSession,
  pin: { environmentKey: string; sha: string; reason?: string | null; pinnedBy?: string | null; revertPullNumber?: number | null; failedSha?: string | null },
  fence?: JobFence,
): Promise<EnvironmentPin> {
  const rows = await fenced(db, fence, (tx) =>
    tx.query<EnvironmentPinRow>(
      `INSERT INTO environment_pins (environment_id, sha, reason, pinned_by, revert_pull_number, failed_sha)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (environment_id) DO UPDATE
       SET sha = excluded.sha, reason = excluded.reason, pinned_by = excluded.pinned_by,
           revert_pull_number = excluded.revert_pull_number, failed_sha = excluded.failed_sha, created_at = now()
     RETURNING *`,
      [pin.environmentKey, pin.sha, pin.reason ?? null, pin.pinnedBy ?? null, pin.revertPullNumber ?? null, pin.failedSha ?? null],
    ),
  );
  return toEnvironmentPin(rows[0]!);
}

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
    tx.query(`DELETE FROM environment_pins WHERE environment_id = $1 AND ($2::integer IS NULL OR revert_pull_number = $2) RETURNING environment_id`, [
      environmentKey,
      options.revertPullNumber ?? null,
    ]),
  );
  return rows.length === 1;
}
