import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { Octokit } from "@octokit/rest";
import { UnavailableError, UnauthorizedError } from "../cluster/cluster-error.js";
import { createCountedClusterClient } from "../cluster/create-cluster-client.js";
import { planLive } from "../reconcile/plan-live.js";
import { parseRepoConfig } from "../config/parse-repo-config.js";
import type { RepoConfig } from "../core/config/repo-config-schema.js";
import { loadManifests, type LoadManifestsResult } from "../core/manifests/load-manifests.js";
import { environmentLabelValue } from "../core/plan/environment-label-value.js";
import type { EnvironmentPlan } from "../core/plan/environment-plan.js";
import { planOffline } from "../core/plan/plan-offline.js";
import { renderPlanText } from "../core/plan/render-plan-text.js";
import { authenticatedLogin } from "../github/authenticated-login.js";
import { upsertStickyComment } from "../github/issue-comments.js";
import { PLAN_COMMENT_MARKER, renderPlanComment } from "../core/report/render-plan-comment.js";
import type { CommandIo } from "./command-io.js";
import { createGitSourceTree } from "./create-git-source-tree.js";
import { createLocalSourceTree } from "./create-local-source-tree.js";

const run = promisify(execFile);

export const planUsage = `Usage: slipway plan --env NAME [--repo DIR] [--base REF] [--kubeconfig FILE] [--context NAME]
                    [--format markdown|text|json]
                    [--github-token TOKEN --github-repo OWNER/NAME --pr N [--github-api-url URL]]

Plans an environment as Slipway does on a pull request: what applying the working tree would change.
  --env NAME            environment from .github/slipway.yml
  --repo DIR            repository root (default: the current folder)
  --kubeconfig FILE     compare with the live cluster (server-side dry run); without it, the plan
                        is offline: the working tree against --base, from Git only
  --context NAME        kubeconfig context (default: its current context)
  --base REF            git ref an offline plan compares with (default: HEAD)
  --format FORMAT       markdown (the pull request comment), text (default) or json
  --github-token TOKEN  with --github-repo and --pr: post the plan as the pull request's sticky
                        comment (the token's own earlier plan comment is edited in place)
  --github-api-url URL  GitHub API (default: https://api.github.com)

Exit status: 0 planned, 1 the cluster rejected an object or manifests did not load, 2 usage or input error.`;

const configPath = ".github/slipway.yml";

/**
 * `slipway plan`: the same plan as the App, from a local checkout.
 * 1. read arguments and the config; 2. load the environment's manifests from the working tree;
 * 3. plan live (kubeconfig) or offline (base ref), falling back to offline when the cluster
 * cannot be reached; 4. print markdown, text or JSON; 5. post the sticky comment if asked.
 */
export async function runPlanCommand(argv: string[], io: CommandIo): Promise<number> {
  const usageError = (message: string) => {
    io.stderr(`slipway plan: ${message}\n\n${planUsage}\n`);
    return 2;
  };
  const inputError = (message: string) => {
    io.stderr(`slipway plan: ${message}\n`);
    return 2;
  };

  // 1. Arguments and config.
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        env: { type: "string" },
        repo: { type: "string" },
        base: { type: "string" },
        kubeconfig: { type: "string" },
        context: { type: "string" },
        format: { type: "string", default: "text" },
        "github-token": { type: "string" },
        "github-repo": { type: "string" },
        "github-api-url": { type: "string" },
        pr: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (values.help) {
    io.stdout(`${planUsage}\n`);
    return 0;
  }
  if (!values.env) return usageError("--env is required");
  const format = values.format;
  if (format !== "markdown" && format !== "text" && format !== "json") return usageError(`--format must be markdown, text or json, not ${format}`);
  const posting = values["github-token"] !== undefined || values.pr !== undefined;
  const pr = Number(values.pr);
  if (posting && (!values["github-token"] || !values["github-repo"] || !Number.isInteger(pr) || pr <= 0)) {
    return usageError("posting the comment needs --github-token, --github-repo OWNER/NAME and --pr N");
  }
  const githubRepo = values["github-repo"];
  if (githubRepo !== undefined && !/^[^/\s]+\/[^/\s]+$/.test(githubRepo)) return usageError(`--github-repo must be OWNER/NAME, not ${githubRepo}`);

  const repository = resolve(io.cwd, values.repo ?? ".");
  let configText: Uint8Array;
  try {
    configText = readFileSync(resolve(repository, configPath));
  } catch {
    return inputError(`cannot read ${configPath} in ${repository}`);
  }
  const parsed = parseRepoConfig(configText, configPath);
  if (!parsed.ok) {
    for (const error of parsed.errors) io.stderr(`${error.file}${error.line > 0 ? `:${error.line}` : ""}: error: ${error.message}\n`);
    return 2;
  }
  const config: RepoConfig = parsed.config;
  const environment = config.environments.find((e) => e.name === values.env);
  if (!environment) return inputError(`no environment ${values.env} in ${configPath} (there are: ${config.environments.map((e) => e.name).join(", ")})`);
  const [owner, name] = (githubRepo ?? (await originRepository(repository)) ?? `local/${basename(repository)}`).split("/");
  const environmentId = environmentLabelValue(owner, name, environment.name);
  const limits = config.validation.limits;

  // 2. The head: the working tree.
  const head = await loadManifests({ tree: createLocalSourceTree(repository), path: environment.path, limits });
  if (head.errors.length > 0) return loadErrors(head, io);
  const headSha = await gitHead(repository);

  // 3. Plan.
  let plan: EnvironmentPlan;
  const offline = async (reason: string): Promise<EnvironmentPlan | number> => {
    const baseRef = values.base ?? "HEAD";
    const base = await createGitSourceTree(repository, baseRef);
    if (!base.ok) return inputError(base.message);
    const baseManifests = await loadManifests({ tree: base.tree, path: environment.path, limits });
    // A folder the base does not have yet is an empty base: everything is a creation.
    const baseObjects = baseManifests.errors.some((e) => e.message === "the environment folder does not exist") ? [] : baseManifests.objects;
    return planOffline({
      environment: environment.name,
      environmentId,
      namespace: environment.namespace,
      prune: environment.prune,
      reason,
      baseLabel: `${baseRef} at ${base.commit.slice(0, 7)}`,
      base: baseObjects,
      head: head.objects,
    });
  };
  if (values.kubeconfig) {
    const kubeConfig = new KubeConfig();
    try {
      kubeConfig.loadFromFile(resolve(io.cwd, values.kubeconfig));
      if (values.context) kubeConfig.setCurrentContext(values.context);
    } catch (error) {
      return inputError(`cannot load the kubeconfig ${values.kubeconfig}: ${(error as Error).message}`);
    }
    const { client, requests } = createCountedClusterClient(kubeConfig);
    const started = performance.now();
    try {
      plan = await planLive({
        cluster: client,
        environment: environment.name,
        environmentId,
        namespace: environment.namespace,
        manifests: head.objects,
        prune: environment.prune,
        sourceSha: headSha,
        adopt: environment.adopt,
      });
      io.stderr(
        `slipway plan: ${environment.name}: ${head.objects.length} objects planned against the cluster with ${requests()} API requests in ${((performance.now() - started) / 1000).toFixed(2)} s\n`,
      );
    } catch (error) {
      if (!(error instanceof UnavailableError || error instanceof UnauthorizedError)) throw error;
      io.stderr(`slipway plan: the cluster did not answer (${error.message}); planning offline instead\n`);
      const result = await offline(`the cluster could not be reached (${error.message})`);
      if (typeof result === "number") return result;
      plan = result;
    }
  } else {
    const result = await offline("no kubeconfig was given (--kubeconfig)");
    if (typeof result === "number") return result;
    plan = result;
  }

  // 4. Output.
  const plannedAt = new Date();
  const comment = renderPlanComment({ plans: [plan], headSha, plannedAt });
  if (format === "markdown") io.stdout(comment);
  else if (format === "json") io.stdout(`${JSON.stringify({ headSha, plannedAt: plannedAt.toISOString(), plan }, null, 2)}\n`);
  else io.stdout(renderPlanText(plan));

  // 5. The sticky comment.
  if (posting) {
    const [repoOwner, repoName] = githubRepo!.split("/");
    const octokit = new Octokit({ auth: values["github-token"], ...(values["github-api-url"] ? { baseUrl: values["github-api-url"] } : {}) });
    // The App's rule on the command line: only a comment this token's own user wrote is edited.
    const author = await authenticatedLogin(octokit);
    const posted = await upsertStickyComment(octokit, {
      owner: repoOwner,
      repo: repoName,
      issueNumber: pr,
      marker: PLAN_COMMENT_MARKER,
      body: comment,
      author,
    });
    io.stderr(`slipway plan: comment ${posted.url}\n`);
  }
  return plan.counts.rejected > 0 ? 1 : 0;
}

function loadErrors(result: LoadManifestsResult, io: CommandIo): number {
  for (const error of result.errors) io.stderr(`${error.line > 0 ? `${error.file}:${error.line}` : error.file}: error: ${error.message}\n`);
  io.stderr(`slipway plan: the manifests did not load; nothing was planned\n`);
  return 1;
}

async function gitHead(repository: string): Promise<string> {
  try {
    const { stdout } = await run("git", ["rev-parse", "HEAD"], { cwd: repository });
    return stdout.trim();
  } catch {
    return "working tree";
  }
}

// owner/name from the origin remote's URL (https or ssh), so labels match the App's.
async function originRepository(repository: string): Promise<string | undefined> {
  try {
    const { stdout } = await run("git", ["remote", "get-url", "origin"], { cwd: repository });
    const match = /[/:]([^/:\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(stdout.trim());
    return match ? `${match[1]}/${match[2]}` : undefined;
  } catch {
    return undefined;
  }
}
