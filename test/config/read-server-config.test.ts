import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { readServerConfig } from "../../src/config/read-server-config.js";

const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

test("no credentials at all means setup mode, with every default", () => {
  const result = readServerConfig({});
  assert.ok(result.ok);
  assert.deepEqual(result.config, {
    mode: "setup",
    credentials: undefined,
    host: "127.0.0.1",
    port: 3000,
    webhookPath: "/api/github/webhooks",
    logLevel: "info",
    databaseUrl: "./data",
    databaseSchema: undefined,
    clustersFile: undefined,
    publicUrl: undefined,
    githubApiUrl: "https://api.github.com",
    maxWebhookBytes: 26214400,
    workerConcurrency: 4,
    resyncIntervalSeconds: 600,
    jobLeaseSeconds: 60,
    workTimeoutSeconds: 20,
    workMemoryMb: 512,
    maxPendingWebhooks: 16,
    deliveryRetentionHours: 168,
    limitMaximums: { maxFileBytes: 20971520, maxFiles: 20000, maxDocumentsPerFile: 4000, maxDepth: 256, maxAliases: 400 },
    replyIntervalSeconds: 600,
  });
});

test("the registration flow listens on loopback only unless HOST says otherwise; the App on every interface", () => {
  const setup = readServerConfig({});
  assert.ok(setup.ok);
  assert.equal(setup.config.host, "127.0.0.1");
  const exposed = readServerConfig({ HOST: "0.0.0.0" });
  assert.ok(exposed.ok);
  assert.equal(exposed.config.host, "0.0.0.0");
  const run = readServerConfig({ APP_ID: "1", PRIVATE_KEY: pem, WEBHOOK_SECRET: "x" });
  assert.ok(run.ok);
  assert.equal(run.config.host, "0.0.0.0");
});

test("server-side maximums of repository limits are settings", () => {
  const result = readServerConfig({
    MAX_FILE_BYTES: "1000",
    MAX_FILES: "10",
    MAX_DOCUMENTS_PER_FILE: "5",
    MAX_DEPTH: "8",
    MAX_ALIASES: "0",
    MAX_PENDING_WEBHOOKS: "4",
    DELIVERY_RETENTION_HOURS: "72",
    REPLY_INTERVAL_SECONDS: "0",
  });
  assert.ok(result.ok);
  assert.deepEqual(result.config.limitMaximums, { maxFileBytes: 1000, maxFiles: 10, maxDocumentsPerFile: 5, maxDepth: 8, maxAliases: 0 });
  assert.equal(result.config.maxPendingWebhooks, 4);
  assert.equal(result.config.deliveryRetentionHours, 72);
  assert.equal(result.config.replyIntervalSeconds, 0);
  const wrong = readServerConfig({ MAX_FILE_BYTES: "200000000", MAX_PENDING_WEBHOOKS: "0" });
  assert.ok(!wrong.ok);
  assert.deepEqual(wrong.problems, [
    'MAX_PENDING_WEBHOOKS must be a whole number from 1 to 1024; it is "0".',
    'MAX_FILE_BYTES must be a whole number from 1 to 104857600; it is "200000000".',
  ]);
});

test("full credentials run the App; a one-line PEM and a base64 PEM both work", () => {
  for (const key of [pem.replace(/\n/g, "\\n"), Buffer.from(pem).toString("base64")]) {
    const result = readServerConfig({ APP_ID: "123", PRIVATE_KEY: key, WEBHOOK_SECRET: "s3cret", PORT: "0", DATABASE_URL: "postgresql://db/slipway" });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.config.mode, "run");
    assert.equal(result.config.credentials?.privateKey, pem);
    assert.equal(result.config.port, 0);
    assert.equal(result.config.databaseUrl, "postgresql://db/slipway");
  }
});

test("PRIVATE_KEY_PATH is read through the given reader", () => {
  const result = readServerConfig({ APP_ID: "1", PRIVATE_KEY_PATH: "key.pem", WEBHOOK_SECRET: "x" }, (path) => {
    assert.equal(path, "key.pem");
    return pem;
  });
  assert.ok(result.ok);
  assert.equal(result.config.credentials?.privateKey, pem);
});

test("a partial or malformed configuration fails with sentences that say what to fix", () => {
  const result = readServerConfig({
    APP_ID: "abc",
    PRIVATE_KEY: "not a key",
    PORT: "70000",
    LOG_LEVEL: "loud",
    PUBLIC_URL: "ftp://x",
    DATABASE_URL: "mysql://user:hunter2@db/x",
  });
  assert.ok(!result.ok);
  assert.deepEqual(result.problems, [
    'APP_ID must be the numeric App ID; it is "abc".',
    "PRIVATE_KEY is not a PEM private key: paste the whole .pem file (or its base64 encoding), including the BEGIN and END lines.",
    "WEBHOOK_SECRET is missing: set it to the webhook secret of the App's settings page.",
    'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent; it is "loud".',
    'DATABASE_URL must be a postgres:// URL, "memory:", or a folder for the embedded store; it is "mysql://***@db/x".',
    'PORT must be a whole number from 0 to 65535; it is "70000".',
    'PUBLIC_URL must be an http(s) URL such as https://slipway.example.com; it is "ftp://x".',
  ]);
  assert.ok(!result.problems.join(" ").includes("hunter2"), "a password in DATABASE_URL is never echoed");
});

test("GitHub Enterprise Server host sets the API root", () => {
  const result = readServerConfig({ GHE_HOST: "github.example.com" });
  assert.ok(result.ok);
  assert.equal(result.config.githubApiUrl, "https://github.example.com/api/v3");
});

test("DATABASE_SCHEMA names a PostgreSQL schema: an identifier, and only with a postgres:// URL", () => {
  const ok = readServerConfig({ DATABASE_URL: "postgresql://db/shared", DATABASE_SCHEMA: "slipway_prod" });
  assert.ok(ok.ok, JSON.stringify(ok));
  assert.equal(ok.config.databaseSchema, "slipway_prod");

  for (const schema of ["Slipway", "1st", "a-b", "x; DROP TABLE jobs", "s".repeat(64)]) {
    const bad = readServerConfig({ DATABASE_URL: "postgresql://db/shared", DATABASE_SCHEMA: schema });
    assert.ok(!bad.ok, schema);
    assert.match(bad.problems.join(" "), /^DATABASE_SCHEMA must be a PostgreSQL name/, schema);
  }

  const embedded = readServerConfig({ DATABASE_SCHEMA: "slipway" });
  assert.ok(!embedded.ok);
  assert.deepEqual(embedded.problems, [
    "DATABASE_SCHEMA applies only to a PostgreSQL store: set DATABASE_URL to a postgres:// URL, or remove DATABASE_SCHEMA.",
  ]);
});
