import type { SqlSession } from '../database.js';

/** Extends a running job's lease; false when `owner` no longer holds it (expired and taken over, or finished). */
export async function renewLease(db: SqlSession, id: number, owner: string, leaseMs: number): Promise<boolean> {
  const rows = await db.query(
    `UPDATE jobs
        SET lease_expires_at = now() + $3::double precision * interval '1 millisecond', updated_at = now()
      WHERE id = $1 AND status = 'running' AND lease_owner = $2
      RETURNING id`,
    [id, owner, leaseMs],
  );
  return rows.length === 1;
}
