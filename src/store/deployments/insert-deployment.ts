import type { SqlSession } from "../database.js";
import { fenced } from "../jobs/fenced.js";
import type { JobFence } from "../jobs/job-lease.js";
import type { DeploymentKind, DeploymentRecord, DeploymentStatus } from "./deployment-record.js";
import { toDeploymentRecord, type DeploymentRow } from "./to-deployment-record.js";

export interface InsertDeploymentInput {
  environmentKey: string;
  sha: string;
  kind: DeploymentKind;
  status?: DeploymentStatus;
  requestedBy?: string | null;
  githubDeploymentId?: number | null;
  details?: Record<string, unknown>;
}

/** Adds a history row; with a fence, refused (LeaseLostError) once the job that writes it lost its lease. */
export async function insertDeployment(db: SqlSession, input: InsertDeploymentInput, fence?: JobFence): Promise<DeploymentRecord> {
  const rows = await fenced(db, fence, (tx) =>
    tx.query<DeploymentRow>(
      `INSERT INTO deployments_history (environment_id, sha, kind, status, requested_by, github_deployment_id, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING *`,
      [
        input.environmentKey,
        input.sha,
        input.kind,
        input.status ?? "pending",
        input.requestedBy ?? null,
        input.githubDeploymentId ?? null,
        input.details ?? {},
      ],
    ),
  );
  return toDeploymentRecord(rows[0]!);
}
