import type { SqlSession } from "../database.js";
import { assertLeaseHeld } from "./assert-lease-held.js";
import type { JobFence } from "./job-lease.js";

/**
 * Runs `write` in one transaction with the fence check, so a write from a job that lost its
 * lease is refused (a LeaseLostError) instead of landing after another replica's. Without a fence
 * (a write outside any job), `write` runs as it is.
 */
export function fenced<T>(db: SqlSession, fence: JobFence | undefined, write: (tx: SqlSession) => Promise<T>): Promise<T> {
  if (!fence) return write(db);
  return db.transaction(async (tx) => {
    await assertLeaseHeld(tx, fence);
    return write(tx);
  });
}
