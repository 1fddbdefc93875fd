/**
 * A thin port over one SQL dialect (PostgreSQL). The embedded adapter (PGlite) and the
 * server adapter (pg.Pool) both speak it, so repositories are written once.
 */

export type SqlParam = string | number | boolean | null | Date | readonly unknown[] | object;

/** What repositories need: queries, and transactions that nest by joining the outer one. */
export interface SqlSession {
  /** Runs one statement with `$1`-style parameters and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** Runs `fn` in a transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
}

export type DatabaseDialect = "pglite" | "postgres";

export interface Database extends SqlSession {
  readonly dialect: DatabaseDialect;
  close(): Promise<void>;
}
