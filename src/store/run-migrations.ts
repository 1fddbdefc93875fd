import type { SqlSession } from "./database.js";
import { migrations as allMigrations } from "./migrations/index.js";
import type { Migration } from "./migrations/migration.js";

export interface MigrationResult {
  /** Versions applied by this call, in order; empty when the schema was already current. */
  applied: number[];
}

/**
 * Brings the schema up to date in one transaction. On PostgreSQL an advisory lock (scoped to
 * the current schema) makes replicas that start together apply each migration exactly once;
 * PGlite has one connection, so the lock is free there.
 */
export async function runMigrations(db: SqlSession, migrations: readonly Migration[] = allMigrations): Promise<MigrationResult> {
  assertOrdered(migrations);
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('slipway:migrations:' || current_schema(), 0))`);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<{ version: number }>("SELECT version FROM schema_migrations");
    const done = new Set(rows.map((row) => row.version));
    const latestKnown = migrations.at(-1)?.version ?? 0;
    const newer = [...done].filter((version) => version > latestKnown);
    if (newer.length > 0) {
      // A newer replica migrated past this code; running on would write with a stale picture.
      throw new Error(
        `The database schema is at version ${newer.reduce((a, b) => Math.max(a, b))}, newer than this Slipway build knows (${latestKnown}). Upgrade Slipway.`,
      );
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]);
      applied.push(migration.version);
    }
    return { applied };
  });
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (previous && migration.version <= previous.version) {
      throw new Error(`Migrations out of order: ${previous.version} is followed by ${migration.version}.`);
    }
  });
}
