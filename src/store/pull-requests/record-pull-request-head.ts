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
