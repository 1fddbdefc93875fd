import { mkdir } from "node:fs/promises";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { Database, SqlParam, SqlSession } from "./database.js";

/**
 * Opens the embedded database: PGlite in memory (`'memory'`) or file-backed in a directory
 * (created if missing). PGlite has a single connection and serializes queries and
 * transactions itself; a second process must not open the same directory.
 */
export async function openEmbeddedDatabase(location: string): Promise<Database> {
  if (location !== "memory") await mkdir(location, { recursive: true });
  const pglite = await PGlite.create(location === "memory" ? undefined : location);
  let closed = false;

  return {
    dialect: "pglite",
    async query<Row>(sql: string, params: readonly SqlParam[] = []) {
      const result = await pglite.query<Row>(sql, [...params]);
      return result.rows;
    },
    transaction<T>(fn: (tx: SqlSession) => Promise<T>) {
      return pglite.transaction((tx) => fn(transactionSession(tx)));
    },
    async close() {
      if (closed) return;
      closed = true;
      await pglite.close();
    },
  };
}

function transactionSession(tx: Transaction): SqlSession {
  const session: SqlSession = {
    async query<Row>(sql: string, params: readonly SqlParam[] = []) {
      const result = await tx.query<Row>(sql, [...params]);
      return result.rows;
    },
    // Nested transactions join the outer one, so repositories compose inside a caller's transaction.
    transaction: (fn) => fn(session),
  };
  return session;
}
