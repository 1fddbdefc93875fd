import type { ProbotOctokit } from "probot";
import type { Logger } from "pino";
import { parseRepoConfig } from "../config/parse-repo-config.js";
import { completeCheckRun, startCheckRun } from "../github/publish-check-run.js";
import { readRepositoryFile } from "../github/read-repository-file.js";
import { renderConfigErrorCheck } from "./render-config-error-check.js";
import type { CheckHeadPayload } from "./job-request.js";

export const repoConfigPath = ".github/slipway.yml";
export const validateCheckName = "Slipway / validate";

export type CheckHeadOutcome =
  | { status: "stale"; currentHeadSha: string | undefined }
  | { status: "unconfigured" }
  | { status: "invalid-config"; checkRunId: number }
  | { status: "checked"; checkRunId: number; conclusion: string };

export interface CheckHeadDeps {
  octokit: ProbotOctokit;
  log: Logger;
}

/**
 * Checks one head commit of a pull request (or merge group):
 * 1. drop the work if the pull request has moved on to another head;
 * 2. read .github/slipway.yml at the head: a repository without it gets no noise;
 * 3. open the `Slipway / validate` check run;
 * 4. a config that does not parse or validate completes the run as a failure, annotated at its line;
 * 5. otherwise complete it with the environments found.
 */
export async function runCheckHead(payload: CheckHeadPayload, deps: CheckHeadDeps): Promise<CheckHeadOutcome> {
  const { octokit, log } = deps;
  const { owner, repo, headSha } = payload;

  if (payload.pullNumber !== undefined) {
    const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: payload.pullNumber });
    if (pull.state !== "open" || pull.head.sha !== headSha) {
      log.info({ owner, repo, pull: payload.pullNumber, headSha, current: pull.head.sha }, "Skipping a check for a head the pull request has moved past");
      return { status: "stale", currentHeadSha: pull.state === "open" ? pull.head.sha : undefined };
    }
  }

  const configText = await readRepositoryFile(octokit, { owner, repo, path: repoConfigPath, ref: headSha });
  if (configText === undefined) return { status: "unconfigured" };

  const checkRunId = await startCheckRun(octokit, { owner, repo, headSha, name: validateCheckName }, "Validating");

  const parsed = parseRepoConfig(configText, repoConfigPath);
  if (!parsed.ok) {
    await completeCheckRun(octokit, { owner, repo }, checkRunId, renderConfigErrorCheck(parsed.errors));
    return { status: "invalid-config", checkRunId };
  }

  const environments = parsed.config.environments;
  const names = environments.map((environment) => `\`${environment.name}\``).join(", ");
  await completeCheckRun(octokit, { owner, repo }, checkRunId, {
    title: `Configuration valid: ${environments.length} environment${environments.length === 1 ? "" : "s"}`,
    summary: `\`${repoConfigPath}\` is valid and names ${names}.`,
    conclusion: "success",
    annotations: [],
  });
  return { status: "checked", checkRunId, conclusion: "success" };
}
