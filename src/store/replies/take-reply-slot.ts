import type { SqlSession } from "../database.js";

/**
 * Whether Slipway may post a reply that anyone can ask for (`/help`, a usage reply) under `key`
 * (a pull request and a command): true at most once per `intervalSeconds`, and then it counts
 * as posted. Atomic, so replicas answering at once post it once.
 */
export async function takeReplySlot(db: SqlSession, params: { key: string; intervalSeconds: number }): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO command_replies (key) VALUES ($1)
     ON CONFLICT (key) DO UPDATE SET replied_at = now()
       WHERE command_replies.replied_at <= now() - $2::double precision * interval '1 second'
     RETURNING key`,
    [params.key, params.intervalSeconds],
  );
  return rows.length === 1;
}
