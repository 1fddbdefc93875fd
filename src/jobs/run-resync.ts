import type { Probot, ProbotOctokit } from "probot";
import type { Logger } from "pino";
import { getEnvironmentPin, listDeployments, type SqlSession } from "../store/index.js";
import { environmentKey } from "./environment-key.js";
import { checkHeadJob, routePushJob, type JobRequest } from "./job-request.js";
import { readTrustedConfig } from "./read-trusted-config.js";
import { validateCheckName } from "./run-check-head.js";

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
  const installations = await app.paginate(app.rest.apps.listInstallations, { per_page: 100 });
  for (const installation of installations) {
    const octokit = await deps.probot.auth(installation.id);
    const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    for (const repository of repositories) {
      const [owner, repo] = repository.full_name.split("/") as [string, string];
      try {
        const swept = await resyncRepository(octokit, { installationId: installation.id, owner, repo, defaultBranch: repository.default_branch }, deps);
        if (!swept) continue;
        outcome.repositories++;
        outcome.checksQueued += swept.checks;
        outcome.deploysQueued += swept.deploys;
      } catch (error) {
        // One repository's trouble must not stop the sweep of the others.
        deps.log.warn({ err: error, repository: repository.full_name }, "Resync skipped a repository");
      }
    }
  }
  return outcome;
}

async function resyncRepository(
  octokit: ProbotOctokit,
  repository: { installationId: number; owner: string; repo: string; defaultBranch: string },
  deps: ResyncDeps,
): Promise<{ checks: number; deploys: number } | undefined> {
  const { installationId, owner, repo, defaultBranch } = repository;
  const trusted = await readTrustedConfig(octokit, { owner, repo, defaultBranch });
  if (trusted.status === "missing") return undefined;
  if (trusted.status === "invalid") return { checks: 0, deploys: 0 };

  // 2.
  let checks = 0;
  const pulls = await octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: "open", per_page: 100 });
  for (const pull of pulls) {
    const { data: runs } = await octokit.rest.checks.listForRef({ owner, repo, ref: pull.head.sha, check_name: validateCheckName, per_page: 1 });
    if (runs.total_count > 0) continue;
    await deps.enqueue(checkHeadJob({ installationId, owner, repo, headSha: pull.head.sha, pullNumber: pull.number, reason: "resync" }));
    checks++;
  }

  // 3.
  let deploys = 0;
  const byBranch = new Map<string, string[]>();
  for (const environment of trusted.config.environments.filter((e) => e.autoDeploy)) {
    const key = environmentKey(owner, repo, environment.name);
    if (await getEnvironmentPin(deps.db, key)) continue;
    const branch = environment.branch ?? defaultBranch;
    const branchHead = branch === defaultBranch ? trusted.sha : (await octokit.rest.repos.getBranch({ owner, repo, branch })).data.commit.sha;
    const [last] = await listDeployments(deps.db, key, { limit: 1 });
    if (last?.sha === branchHead) continue;
    byBranch.set(`${branch}\n${branchHead}`, [...(byBranch.get(`${branch}\n${branchHead}`) ?? []), environment.name]);
  }
  for (const [branchAndSha, environments] of byBranch) {
    const [branch, sha] = branchAndSha.split("\n") as [string, string];
    await deps.enqueue(routePushJob({ installationId, owner, repo, branch, before: "", after: sha, defaultBranch, pusher: "slipway resync", onlyEnvironments: environments }));
    deploys += environments.length;
  }
  return { checks, deploys };
}
