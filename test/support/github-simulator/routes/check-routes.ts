import { checkRunJson, isoNow } from "../github-json.js";
import { notFound, validationFailed } from "../http-error.js";
import { json, jsonPage, type RouteTable } from "../route-types.js";
import type { CheckAnnotationState, CheckRunState, RepositoryState } from "../simulator-state.js";
import type { SimulatorCore } from "../simulator-core.js";

/** Limits GitHub enforces on check run output. */
const MAX_OUTPUT_CHARS = 65535;
const MAX_ANNOTATIONS_PER_REQUEST = 50;

export function checkRoutes(core: SimulatorCore): RouteTable {
  const ctx = core.ctx;

  const render = (repo: RepositoryState, run: CheckRunState) => checkRunJson(ctx, repo, run, core.openPullsForSha(repo, run.headSha));

  const findRun = (repo: RepositoryState, id: number) => {
    const run = repo.checkRuns.find((r) => r.id === id);
    if (!run) throw notFound();
    return run;
  };

  /** Applies a create/update body the way GitHub does; annotations are appended, never replaced. */
  const apply = (run: CheckRunState, body: Record<string, any>) => {
    if (body.name !== undefined) run.name = body.name;
    if (body.details_url !== undefined) run.detailsUrl = body.details_url;
    if (body.external_id !== undefined) run.externalId = body.external_id;
    if (body.started_at !== undefined) run.startedAt = body.started_at;
    if (body.status !== undefined) run.status = body.status;
    if (body.conclusion !== undefined) {
      run.conclusion = body.conclusion;
      run.status = "completed";
    }
    if (run.status === "completed") {
      if (!run.conclusion) {
        throw validationFailed('Invalid request.\n\n"conclusion" wasn\'t supplied.', [{ resource: "CheckRun", field: "conclusion", code: "missing_field" }]);
      }
      run.completedAt = body.completed_at ?? run.completedAt ?? isoNow();
    } else if (body.status !== undefined) {
      run.conclusion = null;
      run.completedAt = null;
    }
    const output = body.output as Record<string, any> | undefined;
    if (output) {
      for (const field of ["title", "summary", "text"] as const) {
        if (typeof output[field] === "string" && [...output[field]].length > MAX_OUTPUT_CHARS) {
          throw validationFailed("Invalid request.", [
            {
              resource: "CheckRun",
              field: `output.${field}`,
              code: "custom",
              message: `output.${field} is too long (maximum is ${MAX_OUTPUT_CHARS} characters)`,
            },
          ]);
        }
      }
      const annotations = (output.annotations ?? []) as CheckAnnotationState[];
      if (annotations.length > MAX_ANNOTATIONS_PER_REQUEST) {
        throw validationFailed("Invalid request.", [
          {
            resource: "CheckRun",
            field: "output.annotations",
            code: "custom",
            message: `Only ${MAX_ANNOTATIONS_PER_REQUEST} annotations are allowed per request`,
          },
        ]);
      }
      for (const a of annotations) {
        if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
          throw validationFailed("Invalid request.", [
            {
              resource: "CheckRun",
              field: "output.annotations",
              code: "custom",
              message: "start_column and end_column may only be used when start_line equals end_line",
            },
          ]);
        }
        if (a.end_line < a.start_line) {
          throw validationFailed("Invalid request.", [
            { resource: "CheckRun", field: "output.annotations", code: "custom", message: "end_line must be greater than or equal to start_line" },
          ]);
        }
      }
      run.output = {
        title: output.title ?? run.output.title,
        summary: output.summary ?? run.output.summary,
        text: output.text ?? run.output.text,
      };
      run.annotations.push(...annotations.map((a) => ({ ...a })));
    }
    if (body.actions !== undefined) run.actions = body.actions;
    run.writes++;
  };

  return {
    "checks/create": async ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      const sha = await repo.git.resolveCommit(body.head_sha);
      if (!sha || sha !== String(body.head_sha).toLowerCase()) {
        throw validationFailed("Validation Failed", [
          { resource: "CheckRun", field: "head_sha", code: "invalid", message: `No commit found for SHA: ${body.head_sha}` },
        ]);
      }
      const suite = await core.checkSuiteFor(repo, sha);
      const run: CheckRunState = {
        id: core.state.newId(),
        name: body.name,
        headSha: sha,
        suiteId: suite.id,
        status: "queued",
        conclusion: null,
        detailsUrl: null,
        externalId: null,
        startedAt: isoNow(),
        completedAt: null,
        output: { title: null, summary: null, text: null },
        annotations: [],
        actions: [],
        writes: 0,
      };
      apply(run, body);
      repo.checkRuns.push(run);
      return json(render(repo, run), 201);
    },

    "checks/update": ({ params, body }) => {
      const repo = core.repo(params.owner, params.repo);
      const run = findRun(repo, params.check_run_id);
      // Validate on a copy so a rejected update leaves the run untouched.
      const draft: CheckRunState = structuredClone(run);
      apply(draft, body);
      Object.assign(run, draft);
      return json(render(repo, run));
    },

    "checks/get": ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      return json(render(repo, findRun(repo, params.check_run_id)));
    },

    "checks/list-annotations": (request) => {
      const repo = core.repo(request.params.owner, request.params.repo);
      const run = findRun(repo, request.params.check_run_id);
      return jsonPage(
        request,
        run.annotations.map((a) => ({
          path: a.path,
          start_line: a.start_line,
          end_line: a.end_line,
          start_column: a.start_column ?? null,
          end_column: a.end_column ?? null,
          annotation_level: a.annotation_level,
          title: a.title ?? null,
          message: a.message,
          raw_details: a.raw_details ?? null,
          blob_href: `https://github.com/${repo.fullName}/blob/${run.headSha}/${a.path}`,
        })),
      );
    },

    "checks/list-for-ref": async (request) => {
      const { params, query } = request;
      const repo = core.repo(params.owner, params.repo);
      const sha = await repo.git.resolveCommit(params.ref);
      if (!sha) throw validationFailed(`No commit found for SHA: ${params.ref}`);
      let runs = repo.checkRuns.filter((r) => r.headSha === sha).sort((a, b) => b.id - a.id);
      if (query.check_name) runs = runs.filter((r) => r.name === query.check_name);
      if (query.status) runs = runs.filter((r) => r.status === query.status);
      if (query.app_id !== undefined && query.app_id !== ctx.app.id) runs = [];
      if (query.filter !== "all") {
        const seen = new Set<string>();
        runs = runs.filter((r) => !seen.has(r.name) && seen.add(r.name));
      }
      const page = jsonPage(request, runs);
      return {
        ...page,
        body: { total_count: runs.length, check_runs: (page.body as CheckRunState[]).map((r) => render(repo, r)) },
      };
    },

    "checks/rerequest-run": ({ params }) => {
      const repo = core.repo(params.owner, params.repo);
      const run = findRun(repo, params.check_run_id);
      core.later(() => core.sendCheckRun(repo, run.id, "rerequested", core.bot));
      return json({}, 201);
    },
  };
}
