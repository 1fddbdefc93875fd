import pg from "pg";
import type { Database, SqlParam, SqlSession } from "./database.js";

export interface PostgresOptions {
  /** Keeps every table in this schema (created if missing), e.g. to isolate test runs. */
  schema?: string;
  /** Pool size; defaults to 10. */
  maxConnections?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// bigint columns (ids, GitHub deployment ids) come back as numbers, as they do from PGlite.
const int8Parser = (value: string) => Number(value);

/** Opens PostgreSQL through a connection pool; the store for more than one replica. */
export async function openPostgresDatabase(url: string, options: PostgresOptions = {}): Promise<Database> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name "${schema}": use lower-case letters, digits and underscores.`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // search_path as a startup parameter applies to every connection before its first query.
    options: schema ? `-c search_path=${schema}` : undefined,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === pg.types.builtins.INT8 ? int8Parser : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on("error", () => {});

  if (schema) await ensureSchema(pool, schema);

  let closed = false;
  return {
    dialect: "postgres",
    async query<Row>(sql: string, params: readonly SqlParam[] = []) {
      const result = await pool.query(sql, [...params]);
      return result.rows as Row[];
    },
    async transaction<T>(fn: (tx: SqlSession) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(clientSession(client));
        await client.query("COMMIT");
        client.release();
        return result;
      } catch (error) {
        // A failed ROLLBACK means the connection is broken: drop it from the pool.
        await client.query("ROLLBACK").then(
          () => client.release(),
          (rollbackError: Error) => client.release(rollbackError),
        );
        throw error;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

async function ensureSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    // Two replicas creating the schema at once: the loser sees a unique violation; the schema exists.
    if ((error as { code?: string }).code !== "23505") throw error;
  }
}

function clientSession(client: pg.PoolClient): SqlSession {
  const session: SqlSession = {
    async query<Row>(sql: string, params: readonly SqlParam[] = []) {
      const result = await client.query(sql, [...params]);
      return result.rows as Row[];
    },
    transaction: (fn) => fn(session),
  };
  return session;
}
