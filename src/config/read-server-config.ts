/**
 * Server configuration, read in one pure function from an environment object so that tests pass
 * their own and nothing below this reads `process.env`.
 */

import type { RepoLimits } from "./clamp-repo-limits.js";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";

export interface AppCredentials {
  appId: string;
  privateKey: string;
  webhookSecret: string;
}

export interface ServerConfig {
  /** Missing credentials mean the server offers the App registration flow instead of running. */
  mode: "run" | "setup";
  credentials: AppCredentials | undefined;
  host: string;
  port: number;
  webhookPath: string;
  logLevel: LogLevel;
  /** `postgres://...` for PostgreSQL, `memory:` for a throwaway store, otherwise a folder for the embedded store. */
  databaseUrl: string;
  /** PostgreSQL schema for Slipway's tables (created if missing), for a database shared with others. */
  databaseSchema: string | undefined;
  /** Path of the clusters file (read at the edge); undefined means no cluster is reachable: offline plans only. */
  clustersFile: string | undefined;
  /** Where people reach this server, for links in deployment statuses. */
  publicUrl: string | undefined;
  /** GitHub REST API root, for GitHub Enterprise Server (and the test simulator). */
  githubApiUrl: string;
  /** Largest webhook body accepted; GitHub caps payloads at 25 MB. */
  maxWebhookBytes: number;
  workerConcurrency: number;
  /** Seconds between sweeps for work webhooks missed; 0 turns the sweep off. */
  resyncIntervalSeconds: number;
  /** How long a replica holds a job without renewing; a dead replica's job is taken over after it. */
  jobLeaseSeconds: number;
  /** Wall-clock seconds one parse, validation or plan task may run in a worker thread. */
  workTimeoutSeconds: number;
  /** Heap one worker thread may use before it is stopped. */
  workMemoryMb: number;
  /** Webhook bodies read at once before their signature is checked; more get 503 with Retry-After. */
  maxPendingWebhooks: number;
  /** How long a webhook delivery id is kept to drop redeliveries; older ids are pruned. */
  deliveryRetentionHours: number;
  /** The most a repository's `validation.limits` may raise each limit to. */
  limitMaximums: RepoLimits;
  /** The least time between two `/help` or usage replies on one pull request, per command. */
  replyIntervalSeconds: number;
}

export type ServerConfigResult = { ok: true; config: ServerConfig } | { ok: false; problems: string[] };

type Env = Record<string, string | undefined>;

const logLevels: readonly LogLevel[] = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

export function readServerConfig(env: Env, readFile?: (path: string) => string): ServerConfigResult {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === "" ? undefined : raw.trim();
  };

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}; it is "${raw}".`);
      return fallback;
    }
    return parsed;
  };

  const url = (name: string): string | undefined => {
    const raw = value(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("protocol");
      return raw.replace(/\/+$/, "");
    } catch {
      problems.push(`${name} must be an http(s) URL such as https://slipway.example.com; it is "${raw}".`);
      return undefined;
    }
  };

  const credentials = readCredentials(value, problems, readFile);

  const logLevelRaw = value("LOG_LEVEL") ?? "info";
  const logLevel = logLevels.includes(logLevelRaw as LogLevel) ? (logLevelRaw as LogLevel) : undefined;
  if (!logLevel) problems.push(`LOG_LEVEL must be one of ${logLevels.join(", ")}; it is "${logLevelRaw}".`);

  const webhookPath = value("WEBHOOK_PATH") ?? "/api/github/webhooks";
  if (!webhookPath.startsWith("/")) problems.push(`WEBHOOK_PATH must start with "/"; it is "${webhookPath}".`);

  const gheHost = value("GHE_HOST");
  const githubApiUrl = url("GITHUB_API_URL") ?? (gheHost ? `https://${gheHost}/api/v3` : "https://api.github.com");

  const databaseUrl = value("DATABASE_URL") ?? "./data";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl) && !/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    problems.push(`DATABASE_URL must be a postgres:// URL, "memory:", or a folder for the embedded store; it is "${redactUrl(databaseUrl)}".`);
  }
  const databaseSchema = value("DATABASE_SCHEMA");
  if (databaseSchema !== undefined) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
      problems.push(
        `DATABASE_SCHEMA must be a PostgreSQL name of lower-case letters, digits and underscores (at most 63, not starting with a digit); it is "${databaseSchema}".`,
      );
    } else if (!/^postgres(ql)?:\/\//i.test(databaseUrl)) {
      problems.push("DATABASE_SCHEMA applies only to a PostgreSQL store: set DATABASE_URL to a postgres:// URL, or remove DATABASE_SCHEMA.");
    }
  }

  const config: ServerConfig = {
    mode: credentials ? "run" : "setup",
    credentials,
    // The registration flow writes credentials: only this machine reaches it unless HOST says otherwise.
    host: value("HOST") ?? (credentials ? "0.0.0.0" : "127.0.0.1"),
    port: integer("PORT", 3000, 0, 65535),
    webhookPath,
    logLevel: logLevel ?? "info",
    databaseUrl,
    databaseSchema,
    clustersFile: value("CLUSTERS_FILE"),
    publicUrl: url("PUBLIC_URL"),
    githubApiUrl,
    maxWebhookBytes: integer("MAX_WEBHOOK_BYTES", 25 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    workerConcurrency: integer("WORKER_CONCURRENCY", 4, 1, 64),
    resyncIntervalSeconds: integer("RESYNC_INTERVAL_SECONDS", 600, 0, 86_400),
    jobLeaseSeconds: integer("JOB_LEASE_SECONDS", 60, 3, 3_600),
    workTimeoutSeconds: integer("WORK_TIMEOUT_SECONDS", 20, 1, 600),
    workMemoryMb: integer("WORK_MEMORY_MB", 512, 64, 16_384),
    maxPendingWebhooks: integer("MAX_PENDING_WEBHOOKS", 16, 1, 1_024),
    deliveryRetentionHours: integer("DELIVERY_RETENTION_HOURS", 168, 1, 8_760),
    // Four times each default of `validation.limits`.
    limitMaximums: {
      maxFileBytes: integer("MAX_FILE_BYTES", 20 * 1024 * 1024, 1, 100 * 1024 * 1024),
      maxFiles: integer("MAX_FILES", 20_000, 1, 100_000),
      maxDocumentsPerFile: integer("MAX_DOCUMENTS_PER_FILE", 4_000, 1, 100_000),
      maxDepth: integer("MAX_DEPTH", 256, 1, 1_000),
      maxAliases: integer("MAX_ALIASES", 400, 0, 100_000),
    },
    replyIntervalSeconds: integer("REPLY_INTERVAL_SECONDS", 600, 0, 86_400),
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

function readCredentials(
  value: (name: string) => string | undefined,
  problems: string[],
  readFile: ((path: string) => string) | undefined,
): AppCredentials | undefined {
  const appId = value("APP_ID");
  const keyPath = value("PRIVATE_KEY_PATH");
  let privateKey = value("PRIVATE_KEY");
  if (!privateKey && keyPath) {
    if (!readFile) {
      problems.push("PRIVATE_KEY_PATH is set but this process cannot read files; set PRIVATE_KEY instead.");
    } else {
      try {
        privateKey = readFile(keyPath);
      } catch {
        problems.push(`PRIVATE_KEY_PATH points to "${keyPath}", which cannot be read; check the path and its permissions.`);
      }
    }
  }
  const webhookSecret = value("WEBHOOK_SECRET");

  // No credentials at all: a newcomer's first start, which offers the registration flow.
  if (!appId && !privateKey && !keyPath && !webhookSecret) return undefined;

  if (!appId) problems.push("APP_ID is missing: copy the App ID from the App's settings page on GitHub.");
  else if (!/^[0-9]+$/.test(appId)) problems.push(`APP_ID must be the numeric App ID; it is "${appId}".`);
  if (!privateKey) {
    if (!keyPath) problems.push("PRIVATE_KEY or PRIVATE_KEY_PATH is missing: generate a private key on the App's settings page.");
  } else {
    privateKey = normalizePrivateKey(privateKey);
    if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey)) {
      problems.push("PRIVATE_KEY is not a PEM private key: paste the whole .pem file (or its base64 encoding), including the BEGIN and END lines.");
    }
  }
  if (!webhookSecret) problems.push("WEBHOOK_SECRET is missing: set it to the webhook secret of the App's settings page.");
  if (!appId || !privateKey || !webhookSecret) return undefined;
  return { appId, privateKey, webhookSecret };
}

/** Accepts a PEM with literal "\n" sequences (one-line env files) or base64 of the PEM. */
function normalizePrivateKey(raw: string): string {
  if (raw.includes("-----BEGIN")) return raw.replace(/\\n/g, "\n");
  const decoded = Buffer.from(raw, "base64").toString("utf8");
  return decoded.includes("-----BEGIN") ? decoded : raw;
}

function redactUrl(raw: string): string {
  return raw.replace(/\/\/[^@/]*@/, "//***@");
}
