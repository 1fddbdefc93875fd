import type { Probot } from "probot";
import type { GitHubClient } from "../github/github-client.js";
import type { Logger } from "pino";
import { getEnvironmentPin, listDeployments, type SqlSession } from "../store/index.js";
import { environmentKey } from "./environment-key.js";
import { checkHeadJob, routePushJob, type JobRequest } from "./job-request.js";
import { readTrustedConfig } from "./read-trusted-config.js";
import { validateCheckName } from "../core/report/check-names.js";
import { hasCheckRun } from "../github/check-runs.js";
import { listInstallationRepositories, listInstallations } from "../github/installations.js";
import { listOpenPullRequests } from "../github/pull-requests.js";
import { readBranchHead } from "../github/repositories.js";

export interface ResyncDeps {
  probot: Probot;
  log: Logger;
  db: SqlSession;
  enqueue: (job: JobRequest) => Promise<void>;
}

export interface ResyncOutcome {
  repositories: number;
  checksQueued: number;
  deploysQueued: number;
}

/**
 * GitHub never redelivers a webhook by itself, so a periodic sweep queues what was missed:
 * 1. every repository of every installation that has a `.github/slipway.yml` on its default branch;
 * 2. open pull requests whose head has no `Slipway / validate` check run get a check;
 * 3. environments on auto-deploy whose last deploy is not the branch head, and that are not
 *    pinned, get a deploy of the head.
 * The queue's dedupe keys make a sweep that overlaps a webhook, or another replica's sweep, harmless.
 */
export async function runResync(deps: ResyncDeps): Promise<ResyncOutcome> {
  const outcome: ResyncOutcome = { repositories: 0, checksQueued: 0, deploysQueued: 0 };
  const app = await deps.probot.auth();
  for (const installationId of await listInstallations(app)) {
    const octokit = await deps.probot.auth(installationId);
    for (const repository of await listInstallationRepositories(octokit)) {
      const { owner, repo, defaultBranch } = repository;
      try {
        const swept = await resyncRepository(octokit, { installationId, owner, repo, defaultBranch }, deps);
        if (!swept) continue;
        outcome.repositories++;
        outcome.checksQueued += swept.checks;
        outcome.deploysQueued += swept.deploys;
      } catch (error) {
        // One repository's trouble must not stop the sweep of the others.
        deps.log.warn({ err: error, repository: repository.fullName }, "Resync skipped a repository");
      }
    }
  }
  return outcome;
}

async function resyncRepository(
  octokit: GitHubClient,
  repository: { installationId: number; owner: string; repo: string; defaultBranch: string },
  deps: ResyncDeps,
): Promise<{ checks: number; deploys: number } | undefined> {
  const { installationId, owner, repo, defaultBranch } = repository;
  const trusted = await readTrustedConfig(octokit, { owner, repo, defaultBranch });
  if (trusted.status === "missing") return undefined;
  if (trusted.status === "invalid") return { checks: 0, deploys: 0 };

  // 2.
  let checks = 0;
  for (const pull of await listOpenPullRequests(octokit, { owner, repo })) {
    if (await hasCheckRun(octokit, { owner, repo, headSha: pull.headSha, name: validateCheckName })) continue;
    await deps.enqueue(checkHeadJob({ installationId, owner, repo, headSha: pull.headSha, pullNumber: pull.number, reason: "resync" }));
    checks++;
  }

  // 3.
  let deploys = 0;
  const byBranch = new Map<string, string[]>();
  for (const environment of trusted.config.environments.filter((e) => e.autoDeploy)) {
    const key = environmentKey(owner, repo, environment.name);
    if (await getEnvironmentPin(deps.db, key)) continue;
    const branch = environment.branch ?? defaultBranch;
    const branchHead = branch === defaultBranch ? trusted.sha : await readBranchHead(octokit, { owner, repo, branch });
    const [last] = await listDeployments(deps.db, key, { limit: 1 });
    if (last?.sha === branchHead) continue;
    byBranch.set(`${branch}\n${branchHead}`, [...(byBranch.get(`${branch}\n${branchHead}`) ?? []), environment.name]);
  }
  for (const [branchAndSha, environments] of byBranch) {
    const [branch, sha] = branchAndSha.split("\n") as [string, string];
    await deps.enqueue(
      routePushJob({ installationId, owner, repo, branch, before: "", after: sha, defaultBranch, pusher: "slipway resync", onlyEnvironments: environments }),
    );
    deploys += environments.length;
  }
  return { checks, deploys };
}
