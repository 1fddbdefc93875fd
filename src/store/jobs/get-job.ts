import type { SqlSession } from "../database.js";
import type { Job } from "./job.js";
import { toJob, type JobRow } from "./to-job.js";

export async function getJob(db: SqlSession, id: number): Promise<Job | null> {
  const rows = await db.query<JobRow>("SELECT * FROM jobs WHERE id = $1", [id]);
  return rows[0] ? toJob(rows[0]) : null;
}
