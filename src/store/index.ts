// The store's public surface; import from here rather than from the files behind it.
export type { Database, DatabaseDialect, SqlParam, SqlSession } from "./database.js";
export { openDatabase } from "./open-database.js";
export { openEmbeddedDatabase } from "./open-embedded-database.js";
export { openPostgresDatabase, type PostgresOptions } from "./open-postgres-database.js";
export { runMigrations, type MigrationResult } from "./run-migrations.js";
export type { Migration } from "./migrations/migration.js";
export { recordDelivery, type DeliveryOutcome } from "./record-delivery.js";
export { pruneDeliveries } from "./prune-deliveries.js";
export { takeReplySlot } from "./replies/take-reply-slot.js";

export type { AnyJobKinds, Job, JobKinds, JobOf, JobPayload, JobState, JobStatus } from "./jobs/job.js";
export { enqueueJob, type EnqueueJobInput, type EnqueueJobResult, type SupersededJob } from "./jobs/enqueue-job.js";
export { claimJob, type ClaimJobInput } from "./jobs/claim-job.js";
export { failAbandonedJobs } from "./jobs/fail-abandoned-jobs.js";
export { renewLease } from "./jobs/renew-lease.js";
export type { JobFence, JobLease } from "./jobs/job-lease.js";
export { LeaseLostError } from "./jobs/lease-lost-error.js";
export { assertLeaseHeld } from "./jobs/assert-lease-held.js";
export { createJobLease, type CreateJobLeaseOptions, type HeldJobLease } from "./jobs/create-job-lease.js";
export { completeJob } from "./jobs/complete-job.js";
export { failJob, type FailJobOptions, type FailJobResult } from "./jobs/fail-job.js";
export { getJob } from "./jobs/get-job.js";
export { cancelQueuedJobs } from "./jobs/cancel-queued-jobs.js";
export { listJobs, type ListJobsFilter } from "./jobs/list-jobs.js";
export { retryDelay, type RetryDelayOptions } from "./jobs/retry-delay.js";
export {
  createJobWorker,
  type JobContext,
  type JobFailure,
  type JobHandler,
  type JobHandlers,
  type JobOutcome,
  type JobWorker,
  type JobWorkerOptions,
  type WorkerLog,
} from "./jobs/create-job-worker.js";

export {
  type DeploymentKind,
  type DeploymentRecord,
  type DeploymentStatus,
  insertDeployment,
  type InsertDeploymentInput,
  updateDeployment,
  type DeploymentChanges,
  listDeployments,
  listLatestSuccessfulDeployments,
} from "./deployments/deployment-history.js";

export { getEnvironmentPin, setEnvironmentPin, clearEnvironmentPin, type EnvironmentPin } from "./environments/environment-pins.js";
export {
  getEnvironmentLock,
  setEnvironmentLock,
  clearEnvironmentLock,
  clearLocksHeldBy,
  type EnvironmentLock,
  type SetEnvironmentLockResult,
} from "./environments/environment-locks.js";
export { recordPullRequestHead, getPullRequestHeadPushedAt } from "./pull-requests/pull-request-heads.js";
