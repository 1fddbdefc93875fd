import assert from "node:assert/strict";
import { it } from "node:test";
import type { Migration } from "../../src/store/migrations/migration.js";
import { migrations } from "../../src/store/migrations/index.js";
import { runMigrations } from "../../src/store/run-migrations.js";
import { forEachBackend } from "./support/store-backends.js";

const latest = migrations.at(-1)!.version;
const tables = [
  "command_replies",
  "deployments_history",
  "environment_locks",
  "environment_pins",
  "jobs",
  "pull_request_heads",
  "schema_migrations",
  "webhook_deliveries",
];

async function tableNames(db: { query<Row>(sql: string): Promise<Row[]> }): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

forEachBackend((backend) => {
  it("applies every migration once and is a no-op the second time", async () => {
    const where = await backend.create();
    const db = await where.openBare();
    try {
      assert.deepEqual(await runMigrations(db), { applied: migrations.map((m) => m.version) });
      assert.deepEqual(await runMigrations(db), { applied: [] });
      assert.deepEqual(await tableNames(db), tables);
      const recorded = await db.query<{ version: number; name: string }>("SELECT version, name FROM schema_migrations ORDER BY version");
      assert.deepEqual(
        recorded,
        migrations.map(({ version, name }) => ({ version, name })),
      );
    } finally {
      await db.close();
      await where.cleanup();
    }
  });

  it("reads the failed commit of an automatic rollback's existing pin out of its reason once, when the column arrives", async () => {
    const where = await backend.create();
    const db = await where.openBare();
    try {
      const failed = "c".repeat(40);
      await runMigrations(
        db,
        migrations.filter((m) => m.version < 5),
      );
      await db.query(
        `INSERT INTO environment_pins (environment_id, sha, reason, pinned_by) VALUES ('a/b/prod', 'a1', $1, 'slipway'), ('a/b/staging', 'a1', $1, 'octocat')`,
        [`automatic rollback of ${failed}`],
      );
      await runMigrations(db);
      const pins = await db.query<{ environment_id: string; failed_sha: string | null }>(
        "SELECT environment_id, failed_sha FROM environment_pins ORDER BY environment_id",
      );
      assert.deepEqual(pins, [
        { environment_id: "a/b/prod", failed_sha: failed },
        { environment_id: "a/b/staging", failed_sha: null },
      ]);
    } finally {
      await db.close();
      await where.cleanup();
    }
  });

  it("applies a failing migration not at all", async () => {
    const where = await backend.create();
    const db = await where.openBare();
    try {
      const broken: Migration = { version: latest + 1, name: "broken", statements: ["CREATE TABLE extra (id int)", "SELECT * FROM missing"] };
      await assert.rejects(runMigrations(db, [...migrations, broken]), (error: { code?: string }) => error.code === "42P01");
      // The whole run was one transaction: not even migration 1 stayed.
      assert.deepEqual(await tableNames(db), []);
      assert.deepEqual(await runMigrations(db), { applied: migrations.map((m) => m.version) });
      assert.ok(!(await tableNames(db)).includes("extra"));
    } finally {
      await db.close();
      await where.cleanup();
    }
  });

  it("refuses a schema newer than this build, and migrations out of order", async () => {
    const where = await backend.create();
    const db = await where.openBare();
    try {
      const future: Migration = { version: 99, name: "future", statements: ["CREATE TABLE future (id int)"] };
      await runMigrations(db, [...migrations, future]);
      await assert.rejects(runMigrations(db), new RegExp(`schema is at version 99, newer than this Slipway build knows \\(${latest}\\)`));
      await assert.rejects(runMigrations(db, [future, ...migrations]), /out of order/);
    } finally {
      await db.close();
      await where.cleanup();
    }
  });

  if (backend.sharedByReplicas) {
    it("lets replicas that start together migrate once", async () => {
      const where = await backend.create();
      const replicas = await Promise.all([1, 2, 3, 4].map(() => where.openBare()));
      try {
        const results = await Promise.all(replicas.map((db) => runMigrations(db)));
        const applied = results.flatMap((result) => result.applied).sort((a, b) => a - b);
        assert.deepEqual(
          applied,
          migrations.map((m) => m.version),
        );
        assert.deepEqual(await tableNames(replicas[0]!), tables);
      } finally {
        await Promise.all(replicas.map((db) => db.close()));
        await where.cleanup();
      }
    });
  }
});
