import type { SqlSession } from "../database.js";

/** When Slipway first heard of a pull request head; null when it never did. */
export async function getPullRequestHeadPushedAt(db: SqlSession, head: { repository: string; pullNumber: number; headSha: string }): Promise<Date | null> {
  const rows = await db.query<{ pushed_at: Date | string }>(
    `SELECT pushed_at FROM pull_request_heads WHERE repository = $1 AND pull_number = $2 AND head_sha = $3`,
    [head.repository.toLowerCase(), head.pullNumber, head.headSha],
  );
  return rows[0] ? new Date(rows[0].pushed_at) : null;
}
