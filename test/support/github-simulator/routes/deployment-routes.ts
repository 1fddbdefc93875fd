import { deploymentJson, deploymentStatusJson, isoNow } from "../github-json.js";
import { conflict, notFound, validationFailed } from "../http-error.js";
import { json, jsonPage, type RouteTable } from "../route-types.js";
import type { DeploymentState, DeploymentStatusState, RepositoryState } from "../simulator-state.js";
import type { SimulatorCore } from "../simulator-core.js";

export function deploymentRoutes(core: SimulatorCore): RouteTable {
  const ctx = core.ctx;

  const findDeployment = (repo: RepositoryState, id: number) => {
    const deployment = repo.deployments.find((d) => d.id === id);
    if (!deployment) throw notFound();
    return deployment;
  };

  /** Contexts that are not green on a sha: latest commit status per context and latest check run per name. */
  const failingContexts = (repo: RepositoryState, sha: string, required: string[] | undefined) => {
    const latest = new Map<string, boolean>();
    for (const s of [...repo.statuses].filter((s) => s.sha === sha).sort((a, b) => b.id - a.id)) {
      if (!latest.has(s.context)) latest.set(s.context, s.state === "success");
    }
    for (const r of [...repo.checkRuns].filter((r) => r.headSha === sha).sort((a, b) => b.id - a.id)) {
      if (!latest.has(r.name)) {
        latest.set(r.name, r.status === "completed" && ["success", "neutral", "skipped"].includes(r.conclusion ?? ""));
      }
    }
    const contexts = required ?? [...latest.keys()];
    return contexts.filter((c) => latest.get(c) !== true);
  };

  return {
    "repos/create-deployment": async ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      const sha = await repo.git.resolveCommit(body.ref);
      if (!sha) throw validationFailed(`No ref found for: ${body.ref}`);
      const failing = failingContexts(repo, sha, body.required_contexts);
      if (failing.length > 0) {
        // GitHub's default (required_contexts omitted) is "every context must be green".
        const error = conflict(`Conflict: Commit status checks failed for ${body.ref}.`);
        error.body.errors = [
          { contexts: failing.map((context) => ({ context, state: "failure" })), resource: "Deployment", field: "required_contexts", code: "invalid" },
        ];
        throw error;
      }
      const environment = body.environment ?? "production";
      const now = isoNow();
      let payload = body.payload ?? {};
      if (typeof payload === "string") {
        try {
          payload = JSON.parse(payload);
        } catch {
          throw validationFailed("Validation Failed", [{ resource: "Deployment", field: "payload", code: "invalid" }]);
        }
      }
      const deployment: DeploymentState = {
        id: core.state.newId(),
        sha,
        ref: body.ref,
        task: body.task ?? "deploy",
        environment,
        originalEnvironment: environment,
        description: body.description ?? null,
        payload,
        transientEnvironment: body.transient_environment ?? false,
        productionEnvironment: body.production_environment ?? environment === "production",
        creator: core.bot,
        createdAt: now,
        updatedAt: now,
        statuses: [],
      };
      repo.deployments.push(deployment);
      return json(deploymentJson(ctx, repo, deployment), 201);
    },

    "repos/list-deployments": (request) => {
      const { params, query } = request;
      const repo = core.repo(params.owner, params.repo);
      let list = [...repo.deployments].sort((a, b) => b.id - a.id);
      if (query.sha) list = list.filter((d) => d.sha === query.sha);
      if (query.ref) list = list.filter((d) => d.ref === query.ref);
      if (query.task) list = list.filter((d) => d.task === query.task);
      if (query.environment) list = list.filter((d) => d.environment === query.environment);
      return jsonPage(
        request,
        list.map((d) => deploymentJson(ctx, repo, d)),
      );
    },

    "repos/get-deployment": ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      return json(deploymentJson(ctx, repo, findDeployment(repo, params.deployment_id)));
    },

    "repos/create-deployment-status": ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      const deployment = findDeployment(repo, params.deployment_id);
      if (body.environment) deployment.environment = body.environment;
      const now = isoNow();
      const status: DeploymentStatusState = {
        id: core.state.newId(),
        deploymentId: deployment.id,
        state: body.state,
        description: body.description ?? "",
        targetUrl: body.target_url ?? body.log_url ?? "",
        logUrl: body.log_url ?? body.target_url ?? "",
        environment: deployment.environment,
        environmentUrl: body.environment_url ?? "",
        creator: core.bot,
        createdAt: now,
      };
      deployment.statuses.push(status);
      deployment.updatedAt = now;
      if (status.state === "success" && body.auto_inactive !== false) {
        // auto_inactive: earlier successful deployments to this environment become inactive.
        for (const other of repo.deployments) {
          if (other.id === deployment.id || other.environment !== deployment.environment || other.id > deployment.id) continue;
          const latest = other.statuses[other.statuses.length - 1];
          if (latest?.state !== "success") continue;
          other.statuses.push({ ...latest, id: core.state.newId(), state: "inactive", description: "", createdAt: now });
          other.updatedAt = now;
        }
      }
      return json(deploymentStatusJson(ctx, repo, status), 201);
    },

    "repos/list-deployment-statuses": (request) => {
      const repo = core.repo(request.params.owner, request.params.repo);
      const deployment = findDeployment(repo, request.params.deployment_id);
      const list = [...deployment.statuses].sort((a, b) => b.id - a.id);
      return jsonPage(
        request,
        list.map((s) => deploymentStatusJson(ctx, repo, s)),
      );
    },

    "repos/get-deployment-status": ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      const deployment = findDeployment(repo, params.deployment_id);
      const status = deployment.statuses.find((s) => s.id === params.status_id);
      if (!status) throw notFound();
      return json(deploymentStatusJson(ctx, repo, status));
    },
  };
}
