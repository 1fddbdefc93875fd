import type { SqlSession } from "../database.js";

/** An environment reserved by one holder (e.g. a pull request, `#12`); others may not deploy to it. */
export interface EnvironmentLock {
  environmentKey: string;
  holder: string;
  createdAt: Date;
}

interface EnvironmentLockRow {
  environment_id: string;
  holder: string;
  created_at: Date;
}

function toEnvironmentLock(row: EnvironmentLockRow): EnvironmentLock {
  return { environmentKey: row.environment_id, holder: row.holder, createdAt: row.created_at };
}

export async function getEnvironmentLock(db: SqlSession, environmentKey: string): Promise<EnvironmentLock | null> {
  const rows = await db.query<EnvironmentLockRow>("SELECT * FROM environment_locks WHERE environment_id = $1", [environmentKey]);
  return rows[0] ? toEnvironmentLock(rows[0]) : null;
}

/** 'locked' when `holder` now holds the lock (also when it already did); 'held' when someone else does. */
export type SetEnvironmentLockResult = { status: "locked"; lock: EnvironmentLock } | { status: "held"; lock: EnvironmentLock };

/** Takes an environment's lock if it is free. Atomic, so two `/lock` commands at once cannot both win. */
export async function setEnvironmentLock(db: SqlSession, input: { environmentKey: string; holder: string }): Promise<SetEnvironmentLockResult> {
  const inserted = await db.query<EnvironmentLockRow>(
    `INSERT INTO environment_locks (environment_id, holder) VALUES ($1, $2)
     ON CONFLICT (environment_id) DO NOTHING
     RETURNING *`,
    [input.environmentKey, input.holder],
  );
  if (inserted[0]) return { status: "locked", lock: toEnvironmentLock(inserted[0]) };
  const existing = await db.query<EnvironmentLockRow>("SELECT * FROM environment_locks WHERE environment_id = $1", [input.environmentKey]);
  // Released between our insert and our read: try once more.
  if (!existing[0]) return setEnvironmentLock(db, input);
  const lock = toEnvironmentLock(existing[0]);
  return { status: lock.holder === input.holder ? "locked" : "held", lock };
}

/**
 * Releases an environment's lock; with `holder`, only that holder's lock. False when nothing
 * was released (not locked, or locked by someone else).
 */
export async function clearEnvironmentLock(db: SqlSession, environmentKey: string, options: { holder?: string } = {}): Promise<boolean> {
  const rows = await db.query(`DELETE FROM environment_locks WHERE environment_id = $1 AND ($2::text IS NULL OR holder = $2) RETURNING environment_id`, [
    environmentKey,
    options.holder ?? null,
  ]);
  return rows.length === 1;
}

/**
 * Releases every lock one holder has among the environments whose id starts with `prefix`
 * (e.g. all of one repository's environments when its pull request merges or closes).
 * Returns the released environment ids.
 */
export async function clearLocksHeldBy(db: SqlSession, input: { environmentKeyPrefix: string; holder: string }): Promise<string[]> {
  const rows = await db.query<{ environment_id: string }>(
    `DELETE FROM environment_locks
      WHERE holder = $1 AND left(environment_id, length($2)) = $2
      RETURNING environment_id`,
    [input.holder, input.environmentKeyPrefix],
  );
  return rows.map((row) => row.environment_id);
}
