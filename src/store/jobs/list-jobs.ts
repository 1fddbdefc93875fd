import type { SqlSession } from "../database.js";
import type { Job, JobStatus } from "./job.js";
import { toJob, type JobRow } from "./to-job.js";

export interface ListJobsFilter {
  status?: JobStatus | readonly JobStatus[];
  kind?: string;
  key?: string;
  /** Defaults to 1000. */
  limit?: number;
}

/** Jobs in queue order (oldest first), for operators and tests. */
export async function listJobs(db: SqlSession, filter: ListJobsFilter = {}): Promise<Job[]> {
  const statuses = filter.status === undefined ? null : typeof filter.status === "string" ? [filter.status] : [...filter.status];
  const rows = await db.query<JobRow>(
    `SELECT * FROM jobs
      WHERE ($1::text[] IS NULL OR status = ANY($1::text[]))
        AND ($2::text IS NULL OR kind = $2)
        AND ($3::text IS NULL OR key = $3)
      ORDER BY id
      LIMIT $4`,
    [statuses, filter.kind ?? null, filter.key ?? null, filter.limit ?? 1000],
  );
  return rows.map(toJob);
}
