import type { SqlSession } from "../database.js";
import { fenced } from "../jobs/fenced.js";
import type { JobFence } from "../jobs/job-lease.js";
import type { DeploymentRecord, DeploymentStatus } from "./deployment-record.js";
import { toDeploymentRecord, type DeploymentRow } from "./to-deployment-record.js";

export interface DeploymentChanges {
  status?: DeploymentStatus;
  githubDeploymentId?: number;
  /** Stamps `finished_at` with the database clock. */
  finished?: true;
  /** Merged into the stored details (top-level keys replace). */
  details?: Record<string, unknown>;
}

/**
 * Applies `changes` to one history row; null when there is no such row. With a fence, refused
 * (LeaseLostError) once the job that writes it lost its lease.
 */
export async function updateDeployment(db: SqlSession, id: number, changes: DeploymentChanges, fence?: JobFence): Promise<DeploymentRecord | null> {
  const rows = await fenced(db, fence, (tx) =>
    tx.query<DeploymentRow>(
      `UPDATE deployments_history
        SET status = coalesce($2, status),
            github_deployment_id = coalesce($3, github_deployment_id),
            finished_at = CASE WHEN $4::boolean THEN now() ELSE finished_at END,
            details = details || coalesce($5::jsonb, '{}'::jsonb)
      WHERE id = $1
      RETURNING *`,
      [id, changes.status ?? null, changes.githubDeploymentId ?? null, changes.finished === true, changes.details ?? null],
    ),
  );
  return rows[0] ? toDeploymentRecord(rows[0]) : null;
}
