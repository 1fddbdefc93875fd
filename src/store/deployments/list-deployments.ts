import type { SqlSession } from "../database.js";
import type { DeploymentRecord } from "./deployment-record.js";
import { toDeploymentRecord, type DeploymentRow } from "./to-deployment-record.js";

/** An environment's history, newest first. */
export async function listDeployments(db: SqlSession, environmentKey: string, options: { limit?: number } = {}): Promise<DeploymentRecord[]> {
  const rows = await db.query<DeploymentRow>(`SELECT * FROM deployments_history WHERE environment_id = $1 ORDER BY id DESC LIMIT $2`, [
    environmentKey,
    options.limit ?? 50,
  ]);
  return rows.map(toDeploymentRecord);
}
