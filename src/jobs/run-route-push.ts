import type { GitHubClient } from "../github/github-client.js";
import type { Logger } from "pino";
import { orderByNeeds } from "../core/deploy/order-by-needs.js";
import { environmentsTouched } from "../core/plan/environments-touched.js";
import { deployStatusContext } from "../core/report/check-names.js";
import { createDeployment, setCommitStatus, setDeploymentStatus } from "../github/deployments.js";
import { listChangedFiles } from "../github/repositories.js";
import type { SqlSession } from "../store/index.js";
import { enqueueJobRequest } from "./enqueue-job-request.js";
import { deployEnvironmentJob, type RoutePushPayload } from "./job-request.js";
import { repoConfigPath } from "./read-repo-config.js";
import { readTrustedConfig } from "./read-trusted-config.js";

export interface RoutePushDeps {
  octokit: GitHubClient;
  log: Logger;
  db: SqlSession;
  wake: () => void;
}

export type RoutePushOutcome = { status: "unconfigured" } | { status: "routed"; environments: string[]; superseded: number };

/**
 * Routes a push to the environments it deploys:
 * 1. read the trusted config (the default branch's): a pushed branch's own config decides nothing,
 *    or any branch could name itself production's branch;
 * 2. keep the environments the trusted config puts on this branch with autoDeploy whose files the
 *    push changed (on the default branch, a changed config counts: it is the trusted one now);
 * 3. in `needs` order, record each as a GitHub Deployment (queued) and a pending commit status,
 *    and queue its deploy; older deploys still waiting for that environment are superseded and
 *    their Deployments marked inactive.
 */
export async function runRoutePush(payload: RoutePushPayload, deps: RoutePushDeps): Promise<RoutePushOutcome> {
  const { octokit, db } = deps;
  const { owner, repo, branch, after } = payload;

  // 1.
  const trusted = await readTrustedConfig(octokit, { owner, repo, defaultBranch: payload.defaultBranch });
  if (trusted.status !== "trusted") return { status: "unconfigured" };

  // 2.
  const onBranch = trusted.config.environments.filter(
    (e) => (e.branch ?? trusted.defaultBranch) === branch && e.autoDeploy && (!payload.onlyEnvironments || payload.onlyEnvironments.includes(e.name)),
  );
  if (onBranch.length === 0) return { status: "routed", environments: [], superseded: 0 };
  const changed = await listChangedFiles(octokit, { owner, repo, before: payload.before, after });
  // Another branch's copy of the config is not the trusted one, so its change touches nothing.
  const configPath = branch === trusted.defaultBranch ? repoConfigPath : undefined;
  const touched = orderByNeeds(changed === undefined ? onBranch : environmentsTouched(onBranch, changed, configPath));
  const names = new Set(touched.map((e) => e.name));

  // 3.
  let superseded = 0;
  for (const environment of touched) {
    const deploymentId = await createDeployment(octokit, {
      owner,
      repo,
      sha: after,
      environment: environment.name,
      description: `Deploy ${after.slice(0, 7)} to ${environment.name}`,
      payload: { slipway: { environment: environment.name, branch, pushedBy: payload.pusher } },
      productionEnvironment: environment.protected,
    });
    await setDeploymentStatus(octokit, { owner, repo, deploymentId, state: "queued", description: "Waiting for its turn", environmentUrl: environment.url });
    await setCommitStatus(octokit, { owner, repo, sha: after, context: deployStatusContext(environment.name), state: "pending", description: "Deploy queued" });

    const deploy = deployEnvironmentJob({
      installationId: payload.installationId,
      owner,
      repo,
      environment: environment.name,
      sha: after,
      deploymentId,
      waitFor: environment.needs.filter((need) => names.has(need)),
      kind: "deploy",
      requestedBy: payload.pusher,
    });
    const result = await enqueueJobRequest(db, deploy);
    if (result.status === "enqueued") {
      for (const { payload: older } of result.superseded) {
        superseded++;
        await setDeploymentStatus(octokit, {
          owner,
          repo,
          deploymentId: older.deploymentId,
          state: "inactive",
          description: `Superseded by ${after.slice(0, 7)}`,
        });
        await setCommitStatus(octokit, {
          owner,
          repo,
          sha: older.sha,
          context: deployStatusContext(older.environment),
          state: "error",
          description: `Not deployed: superseded by ${after.slice(0, 7)}`,
        });
      }
    }
  }
  deps.wake();
  return { status: "routed", environments: touched.map((e) => e.name), superseded };
}
