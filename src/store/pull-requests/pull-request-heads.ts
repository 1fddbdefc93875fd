import type { SqlSession } from "../database.js";

/**
 * Remembers when a pull request head arrived, by GitHub's clock where GitHub said it. The
 * earliest report stands: every report is at or after the real push, so a later one adds nothing.
 */
export async function recordPullRequestHead(db: SqlSession, head: { repository: string; pullNumber: number; headSha: string; pushedAt: Date }): Promise<void> {
  await db.query(
    `INSERT INTO pull_request_heads (repository, pull_number, head_sha, pushed_at)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (repository, pull_number, head_sha) DO UPDATE
       SET pushed_at = LEAST(pull_request_heads.pushed_at, excluded.pushed_at)`,
    [head.repository.toLowerCase(), head.pullNumber, head.headSha, head.pushedAt.toISOString()],
  );
}

/** When Slipway first heard of a pull request head; null when it never did. */
export async function getPullRequestHeadPushedAt(db: SqlSession, head: { repository: string; pullNumber: number; headSha: string }): Promise<Date | null> {
  const rows = await db.query<{ pushed_at: Date | string }>(
    `SELECT pushed_at FROM pull_request_heads WHERE repository = $1 AND pull_number = $2 AND head_sha = $3`,
    [head.repository.toLowerCase(), head.pullNumber, head.headSha],
  );
  return rows[0] ? new Date(rows[0].pushed_at) : null;
}
