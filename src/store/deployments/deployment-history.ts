import type { SqlSession } from "../database.js";
import { fenced } from "../jobs/fenced.js";
import type { JobFence } from "../jobs/job-lease.js";

export type DeploymentStatus = "pending" | "in_progress" | "succeeded" | "failed" | "superseded";
export type DeploymentKind = "deploy" | "rollback";

/** One row of an environment's deployment history. */
export interface DeploymentRecord {
  id: number;
  environmentKey: string;
  sha: string;
  status: DeploymentStatus;
  kind: DeploymentKind;
  requestedBy: string | null;
  githubDeploymentId: number | null;
  startedAt: Date;
  finishedAt: Date | null;
  details: Record<string, unknown>;
}

export interface DeploymentRow {
  id: number | string;
  environment_id: string;
  sha: string;
  status: DeploymentStatus;
  kind: DeploymentKind;
  requested_by: string | null;
  github_deployment_id: number | string | null;
  started_at: Date;
  finished_at: Date | null;
  details: Record<string, unknown>;
}

export function toDeploymentRecord(row: DeploymentRow): DeploymentRecord {
  return {
    id: Number(row.id),
    environmentKey: row.environment_id,
    sha: row.sha,
    status: row.status,
    kind: row.kind,
    requestedBy: row.requested_by,
    githubDeploymentId: row.github_deployment_id === null ? null : Number(row.github_deployment_id),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    details: row.details,
  };
}

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

/** An environment's history, newest first. */
export async function listDeployments(db: SqlSession, environmentKey: string, options: { limit?: number } = {}): Promise<DeploymentRecord[]> {
  const rows = await db.query<DeploymentRow>(`SELECT * FROM deployments_history WHERE environment_id = $1 ORDER BY id DESC LIMIT $2`, [
    environmentKey,
    options.limit ?? 50,
  ]);
  return rows.map(toDeploymentRecord);
}

/**
 * An environment's succeeded deployments, newest first: the first is what should be live,
 * the next ones are rollback targets.
 */
export async function listLatestSuccessfulDeployments(db: SqlSession, environmentKey: string, options: { limit?: number } = {}): Promise<DeploymentRecord[]> {
  const rows = await db.query<DeploymentRow>(
    `SELECT * FROM deployments_history
      WHERE environment_id = $1 AND status = 'succeeded'
      ORDER BY id DESC
      LIMIT $2`,
    [environmentKey, options.limit ?? 1],
  );
  return rows.map(toDeploymentRecord);
}
