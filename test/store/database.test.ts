import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { migrations } from "../../src/store/migrations/index.js";
import { openDatabase } from "../../src/store/open-database.js";
import { forEachBackend, useStore } from "./support/store-backends.js";

describe("openDatabase", () => {
  it("opens an in-memory embedded store for memory: and migrates it", async () => {
    const db = await openDatabase("memory:");
    try {
      assert.equal(db.dialect, "pglite");
      const rows = await db.query<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version");
      assert.deepEqual(
        rows.map((row) => row.version),
        migrations.map((m) => m.version),
      );
    } finally {
      await db.close();
    }
  });

  it("creates the directory of a file-backed embedded store", async () => {
    const parent = await mkdtemp(join(tmpdir(), "slipway-open-"));
    const dir = join(parent, "nested", "data");
    try {
      const db = await openDatabase(dir);
      assert.equal(db.dialect, "pglite");
      await db.close();
      assert.ok((await stat(dir)).isDirectory());
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it("picks PostgreSQL for postgres:// and postgresql:// URLs", async () => {
    // Port 1 refuses connections: the pg adapter is chosen and reports the outage as an error.
    for (const url of ["postgres://nobody@127.0.0.1:1/none", "postgresql://nobody@127.0.0.1:1/none"]) {
      await assert.rejects(openDatabase(url), /ECONNREFUSED|connect/);
    }
  });

  it("rejects a schema name that is not a plain identifier", async () => {
    await assert.rejects(openDatabase("postgres://nobody@127.0.0.1:1/none", { schema: "x; DROP TABLE jobs" }), /Invalid PostgreSQL schema name/);
  });
});

forEachBackend((backend) => {
  const store = useStore(backend);

  it("passes parameters and returns typed rows", async () => {
    const rows = await store.db.query<{ n: number; s: string; j: { a: number[] } }>("SELECT $1::int + 1 AS n, $2::text AS s, $3::jsonb AS j", [
      41,
      "slipway",
      { a: [1, 2] },
    ]);
    assert.deepEqual(rows, [{ n: 42, s: "slipway", j: { a: [1, 2] } }]);
  });

  it("commits a transaction that resolves and rolls back one that throws", async () => {
    await store.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO environment_locks (environment_id, holder) VALUES ('a', '#1')`);
    });
    await assert.rejects(
      store.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO environment_locks (environment_id, holder) VALUES ('b', '#2')`);
        // A nested transaction joins the outer one, so its write is rolled back too.
        await tx.transaction((inner) => inner.query(`INSERT INTO environment_locks (environment_id, holder) VALUES ('c', '#3')`));
        throw new Error("boom");
      }),
      /boom/,
    );
    const rows = await store.db.query<{ environment_id: string }>("SELECT environment_id FROM environment_locks ORDER BY 1");
    assert.deepEqual(
      rows.map((row) => row.environment_id),
      ["a"],
    );
  });

  it("reports SQL errors with their PostgreSQL code", async () => {
    await assert.rejects(store.db.query("SELECT * FROM no_such_table"), (error: { code?: string }) => error.code === "42P01");
  });
});
