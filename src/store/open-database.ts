import type { Database } from "./database.js";
import { openEmbeddedDatabase } from "./open-embedded-database.js";
import { openPostgresDatabase, type PostgresOptions } from "./open-postgres-database.js";
import { runMigrations } from "./run-migrations.js";

/**
 * Opens the store named by `location` and brings its schema up to date:
 * `postgres://` or `postgresql://` is a PostgreSQL server, `memory:` an in-memory embedded
 * database, anything else a directory for the file-backed embedded database (created).
 */
export async function openDatabase(location: string, options: PostgresOptions = {}): Promise<Database> {
  const db = await openAdapter(location, options);
  try {
    await runMigrations(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

function openAdapter(location: string, options: PostgresOptions): Promise<Database> {
  if (/^postgres(ql)?:\/\//i.test(location)) return openPostgresDatabase(location, options);
  if (location === "memory:") return openEmbeddedDatabase("memory");
  return openEmbeddedDatabase(location);
}
