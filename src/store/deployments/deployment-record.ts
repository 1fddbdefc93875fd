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
