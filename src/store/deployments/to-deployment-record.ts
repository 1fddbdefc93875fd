import type { DeploymentKind, DeploymentRecord, DeploymentStatus } from "./deployment-record.js";

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
