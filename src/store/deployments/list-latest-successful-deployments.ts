import type { SqlSession } from "../database.js";
import type { DeploymentRecord } from "./deployment-record.js";
import { toDeploymentRecord, type DeploymentRow } from "./to-deployment-record.js";

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
