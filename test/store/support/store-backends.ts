import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import pg from "pg";
import type { Database } from "../../../src/store/database.js";
import { openEmbeddedDatabase } from "../../../src/store/open-embedded-database.js";
import { openPostgresDatabase } from "../../../src/store/open-postgres-database.js";
import { runMigrations } from "../../../src/store/run-migrations.js";

/** One empty store for a test: open it (more than once where the backend allows), then clean up. */
export interface StoreLocation {
  /** The adapter alone, schema not migrated. */
  openBare(): Promise<Database>;
  /** Opened and migrated. */
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

export interface StoreBackend {
  name: string;
  /** Several connections to one location at once: a stand-in for several replicas. */
  sharedByReplicas: boolean;
  /** Survives close and reopen. */
  durable: boolean;
  create(): Promise<StoreLocation>;
}

const postgresUrl = process.env.SLIPWAY_TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";
const runId = `${process.pid}_${randomBytes(3).toString("hex")}`;
let schemaCounter = 0;

function location(openBare: () => Promise<Database>, cleanup: () => Promise<void>): StoreLocation {
  return {
    openBare,
    async open() {
      const db = await openBare();
      await runMigrations(db);
      return db;
    },
    cleanup,
  };
}

const embeddedMemory: StoreBackend = {
  name: "embedded (memory)",
  sharedByReplicas: false,
  durable: false,
  async create() {
    return location(
      () => openEmbeddedDatabase("memory"),
      async () => {},
    );
  },
};

const embeddedDirectory: StoreBackend = {
  name: "embedded (directory)",
  sharedByReplicas: false,
  durable: true,
  async create() {
    const dir = await mkdtemp(join(tmpdir(), "slipway-store-"));
    // A subdirectory that does not exist yet: opening must create it.
    return location(
      () => openEmbeddedDatabase(join(dir, "data")),
      () => rm(dir, { recursive: true, force: true }),
    );
  },
};

const postgres: StoreBackend = {
  name: "postgres",
  sharedByReplicas: true,
  durable: true,
  async create() {
    const schema = `slipway_test_${runId}_${++schemaCounter}`;
    return location(
      () => openPostgresDatabase(postgresUrl, { schema, maxConnections: 5 }),
      async () => {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await client.end();
        }
      },
    );
  },
};

async function postgresProblem(): Promise<string | null> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

const postgresUnavailable = await postgresProblem();
const redactedUrl = postgresUrl.replace(/\/\/[^@/]*@/, "//***@");

/**
 * Declares `suite` once per backend. PostgreSQL being unreachable fails the run under CI
 * (it must never pass by skipping there) and skips it locally.
 */
export function forEachBackend(suite: (backend: StoreBackend) => void): void {
  for (const backend of [embeddedMemory, embeddedDirectory]) describe(backend.name, () => suite(backend));

  if (!postgresUnavailable) {
    describe(postgres.name, () => suite(postgres));
  } else if (process.env.CI && !["0", "false"].includes(process.env.CI.toLowerCase())) {
    describe(postgres.name, () => {
      it("reaches PostgreSQL", () => {
        assert.fail(
          `PostgreSQL at ${redactedUrl} is unreachable (${postgresUnavailable}). ` +
            "Start it or set SLIPWAY_TEST_DATABASE_URL; under CI these tests never skip.",
        );
      });
    });
  } else {
    describe(postgres.name, { skip: `PostgreSQL at ${redactedUrl} is unreachable (${postgresUnavailable}); set CI to make this fail` }, () => {});
  }
}

export { embeddedDirectory, postgres };

/** One migrated database per suite, emptied before each test. */
export function useStore(backend: StoreBackend): { readonly db: Database; readonly location: StoreLocation } {
  let db: Database | undefined;
  let where: StoreLocation | undefined;
  before(async () => {
    where = await backend.create();
    db = await where.open();
  });
  beforeEach(async () => {
    await db!.query("TRUNCATE jobs, webhook_deliveries, deployments_history, environment_pins, environment_locks RESTART IDENTITY");
  });
  after(async () => {
    await db?.close();
    await where?.cleanup();
  });
  return {
    get db() {
      assert.ok(db, "the store opens in before()");
      return db;
    },
    get location() {
      assert.ok(where, "the store opens in before()");
      return where;
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
