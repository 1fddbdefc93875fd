import type { Probot } from "probot";
import type { Logger } from "pino";
import type { ClusterConnection } from "../cluster/create-cluster-connections.js";
import type { ClusterAlias } from "../config/parse-clusters-file.js";
import type { RepoLimits } from "../config/clamp-repo-limits.js";
import { environmentKey } from "../jobs/environment-key.js";
import type { SlipwayJobHandlers } from "../jobs/job-request.js";
import { runMergeGroupDestroyed } from "../jobs/run-merge-group-destroyed.js";
import { runDeployEnvironment } from "../jobs/run-deploy-environment.js";
import { runResync } from "../jobs/run-resync.js";
import { runRoutePush } from "../jobs/run-route-push.js";
import { runCheckHead } from "../jobs/run-check-head.js";
import { enqueueFollowUp } from "../jobs/enqueue-job-request.js";
import { runCommentCommand } from "../jobs/run-comment-command.js";
import type { SchemaRegistryLookup } from "../schemas/create-schema-registry-cache.js";
import { parseRollbackBranch } from "../github/rollback-branch.js";
import { requestRollback } from "../jobs/request-rollback.js";
import { requestDeploy } from "../jobs/request-deploy.js";
import type { DeployRequest, RollbackRequest } from "../jobs/run-comment-command.js";
import type { WorkPool } from "../work/create-work-pool.js";
import { clearEnvironmentPin, clearLocksHeldBy, getEnvironmentLock, type Database } from "../store/index.js";

export interface JobHandlerDeps {
  probot: Probot;
  appId: number;
  db: Database;
  log: Logger;
  clusters: readonly ClusterAlias[] | undefined;
  schemas: (version: string | undefined) => Promise<SchemaRegistryLookup>;
  work: WorkPool;
  connect: ((alias: string) => ClusterConnection) | undefined;
  now: () => Date;
  /** The server's caps on what a repository's `validation.limits` may raise. */
  limitMaximums: RepoLimits;
  /** Least seconds between two `/help` or usage replies on one pull request, per command. */
  replyIntervalSeconds: number;
  /** The App's bot login (`<slug>[bot]`), from GitHub, asked once. */
  botLogin: () => Promise<string>;
  /** Wakes the worker after a job queues another. */
  wake: () => void;
}

/** One runner per job kind: each authenticates as the installation, runs its pipeline, logs the outcome. */
export function createJobHandlers(deps: JobHandlerDeps): SlipwayJobHandlers {
  const { probot, db, log } = deps;
  const enqueue = enqueueFollowUp(db, deps.wake);
  const lockHolder = async (owner: string, repo: string, environment: string) =>
    (await getEnvironmentLock(db, environmentKey(owner, repo, environment)))?.holder;

  return {
    "check-head": async (job) => {
      const { payload } = job;
      const octokit = await probot.auth(payload.installationId);
      const outcome = await runCheckHead(payload, {
        octokit,
        log: log.child({ job: job.id, kind: job.kind }),
        clusters: deps.clusters,
        schemas: deps.schemas,
        work: deps.work,
        connect: deps.connect,
        lockHolder,
        now: deps.now,
        appId: deps.appId,
        limitMaximums: deps.limitMaximums,
        botLogin: deps.botLogin,
      });
      log.info({ job: job.id, key: job.key, outcome: outcome.status }, "Checked head");
      return { status: "done" };
    },
    "merge-group-destroyed": async (job) => {
      const { payload } = job;
      const octokit = await probot.auth(payload.installationId);
      await runMergeGroupDestroyed(payload, { octokit, log: log.child({ job: job.id, kind: job.kind }), db, appId: deps.appId });
      return { status: "done" };
    },
    "comment-command": async (job) => {
      const { payload } = job;
      const octokit = await probot.auth(payload.installationId);
      const outcome = await runCommentCommand(payload, {
        octokit,
        log: log.child({ job: job.id, kind: job.kind }),
        db,
        enqueue,
        replyIntervalSeconds: deps.replyIntervalSeconds,
        now: deps.now,
        ...(deps.clusters
          ? {
              rollback: (request: RollbackRequest) => requestRollback(request, { octokit, db, enqueue }),
              deploy: (request: DeployRequest) => requestDeploy(request, { octokit, enqueue }),
            }
          : {}),
      });
      log.info({ job: job.id, key: job.key, outcome }, "Handled a comment");
      return { status: "done" };
    },
    "route-push": async (job) => {
      const { payload } = job;
      const octokit = await probot.auth(payload.installationId);
      const outcome = await runRoutePush(payload, { octokit, log: log.child({ job: job.id, kind: job.kind }), db, wake: deps.wake });
      log.info({ job: job.id, key: job.key, outcome }, "Routed a push");
      return { status: "done" };
    },
    "deploy-environment": async (job, context) => {
      const { payload } = job;
      const octokit = await probot.auth(payload.installationId);
      const outcome = await runDeployEnvironment(payload, {
        octokit,
        log: log.child({ job: job.id, kind: job.kind }),
        db,
        clusters: deps.clusters,
        connect: deps.connect,
        schemas: deps.schemas,
        work: deps.work,
        limitMaximums: deps.limitMaximums,
        attempt: job.attempts,
        lease: context.lease,
      });
      log.info({ job: job.id, key: job.key, environment: payload.environment, sha: payload.sha, outcome: outcome.status }, "Deploy step done");
      return outcome;
    },
    resync: async (job) => {
      const outcome = await runResync({ probot, log: log.child({ job: job.id, kind: job.kind }), db, enqueue });
      log.info({ job: job.id, ...outcome }, "Resync done");
      return { status: "done" };
    },
    "pull-request-closed": async (job) => {
      const { owner, repo, pullNumber, merged, headRef } = job.payload;
      const released = await clearLocksHeldBy(db, { environmentKeyPrefix: environmentKey(owner, repo, ""), holder: `#${pullNumber}` });
      if (released.length > 0) log.info({ job: job.id, released }, "Released the locks of a closed pull request");
      // A merged Slipway revert pull request: Git matches what runs again, so the pin goes. Only the
      // pull request recorded with the pin counts; the branch name just says which pin to look at.
      const rollback = merged ? parseRollbackBranch(headRef) : undefined;
      if (rollback && (await clearEnvironmentPin(db, environmentKey(owner, repo, rollback.environment), undefined, { revertPullNumber: pullNumber }))) {
        log.info({ job: job.id, environment: rollback.environment }, "A merged revert pull request lifted the pin");
      }
      return { status: "done" };
    },
  };
}
