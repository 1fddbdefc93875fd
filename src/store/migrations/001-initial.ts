import type { Migration } from "./migration.js";

export const initial: Migration = {
  version: 1,
  name: "initial",
  statements: [
    `CREATE TABLE webhook_deliveries (
       id text PRIMARY KEY,
       event text NOT NULL,
       received_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX webhook_deliveries_received_at ON webhook_deliveries (received_at)`,

    `CREATE TABLE jobs (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       kind text NOT NULL,
       key text NOT NULL,
       payload jsonb NOT NULL DEFAULT '{}'::jsonb,
       status text NOT NULL DEFAULT 'queued'
         CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'superseded')),
       attempts integer NOT NULL DEFAULT 0,
       max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
       run_after timestamptz NOT NULL DEFAULT now(),
       lease_owner text,
       lease_expires_at timestamptz,
       last_error text,
       dedupe text,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
    // The queue's invariant, enforced by the database: at most one running job per key.
    `CREATE UNIQUE INDEX jobs_one_running_per_key ON jobs (key) WHERE status = 'running'`,
    // The same work enqueued twice while still waiting collapses into one job.
    `CREATE UNIQUE INDEX jobs_dedupe_queued ON jobs (dedupe) WHERE status = 'queued' AND dedupe IS NOT NULL`,
    `CREATE INDEX jobs_pending ON jobs (key, id) WHERE status IN ('queued', 'running')`,
    `CREATE INDEX jobs_status_id ON jobs (status, id)`,

    `CREATE TABLE deployments_history (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       environment_id text NOT NULL,
       sha text NOT NULL,
       status text NOT NULL DEFAULT 'pending'
         CHECK (status IN ('pending', 'in_progress', 'succeeded', 'failed', 'superseded')),
       kind text NOT NULL CHECK (kind IN ('deploy', 'rollback')),
       requested_by text,
       github_deployment_id bigint,
       started_at timestamptz NOT NULL DEFAULT now(),
       finished_at timestamptz,
       details jsonb NOT NULL DEFAULT '{}'::jsonb
     )`,
    `CREATE INDEX deployments_history_environment ON deployments_history (environment_id, id DESC)`,

    `CREATE TABLE environment_pins (
       environment_id text PRIMARY KEY,
       sha text NOT NULL,
       reason text,
       pinned_by text,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,

    `CREATE TABLE environment_locks (
       environment_id text PRIMARY KEY,
       holder text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
  ],
};
