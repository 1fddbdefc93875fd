import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { Octokit } from "@octokit/rest";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { startGitHubSimulator, type GitHubSimulator, type RepositoryHandle } from "./support/github-simulator/index.js";
import { WebhookCatalog } from "./support/github-simulator/webhook-catalog.js";

/** GitHub's documented check: HMAC-SHA256 of the raw body, compared in constant time. */
async function verify(secret: string, body: string, signature: string): Promise<boolean> {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in webhook endpoint that checks signatures like an App must (401 when wrong). */
async function startReceiver(secret: string): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const signature = req.headers["x-hub-signature-256"];
    if (typeof signature !== "string" || !(await verify(secret, body, signature))) {
      res.writeHead(401).end("bad signature");
      return;
    }
    received.push({ headers: req.headers, body });
    res.writeHead(202).end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received, server };
}

function octokitWith(sim: GitHubSimulator, token: string): Octokit {
  const quiet = () => {};
  return new Octokit({ auth: token, baseUrl: sim.url, log: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
}

describe("GitHub simulator", () => {
  let sim: GitHubSimulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let repo: RepositoryHandle;
  let octokit: Octokit;

  before(async () => {
    sim = await startGitHubSimulator({ webhookSecret: "test-secret" });
    receiver = await startReceiver(sim.webhookSecret);
    sim.setWebhookUrl(receiver.url);
    repo = await sim.createRepository({
      name: "deploy-config",
      files: { ".github/slipway.yml": "environments: {}\n", "envs/prod/app.yaml": "kind: ConfigMap\n" },
    });
    octokit = octokitWith(sim, sim.createInstallationToken());
  });

  after(async () => {
    await sim.close();
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  });

  describe("authentication", () => {
    it("serves /app to a Probot app JWT and issues installation tokens that open repo routes", async () => {
      const probot = new Probot({
        appId: sim.appId,
        privateKey: sim.privateKey,
        secret: sim.webhookSecret,
        baseUrl: sim.url,
        logLevel: "fatal",
        Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
      });
      const appOctokit = await probot.auth();
      const { data: app } = await appOctokit.rest.apps.getAuthenticated();
      assert.equal(app?.id, sim.appId);
      const { data: installation } = await appOctokit.rest.apps.getRepoInstallation({ owner: repo.owner, repo: repo.name });
      assert.equal(installation.id, sim.installationId);

      const installationOctokit = await probot.auth(sim.installationId);
      const { data: fetched } = await installationOctokit.rest.repos.get({ owner: repo.owner, repo: repo.name });
      assert.equal(fetched.full_name, repo.fullName);
      assert.equal(fetched.default_branch, "main");
      assert.ok(sim.requests.some((r) => r.operationId === "apps/create-installation-access-token" && r.status === 201));
      sim.assertNoViolations();
    });

    it("rejects /app without a JWT, with a JWT signed by another key, and with a too-long lifetime", async () => {
      const noAuth = await fetch(`${sim.url}/app`);
      assert.equal(noAuth.status, 401);

      const [header, payload] = sim.createAppJwt().split(".");
      const forged = await fetch(`${sim.url}/app`, { headers: { authorization: `Bearer ${header}.${payload}.AAAA` } });
      assert.equal(forged.status, 401);

      const tooLong = await fetch(`${sim.url}/app`, { headers: { authorization: `Bearer ${sim.createAppJwt(3600)}` } });
      assert.equal(tooLong.status, 401);

      const good = await fetch(`${sim.url}/app`, { headers: { authorization: `Bearer ${sim.createAppJwt()}` } });
      assert.equal(good.status, 200);

      assert.equal(sim.violations.filter((v) => v.kind === "auth").length, 3);
      assert.throws(() => sim.assertNoViolations(), /\[auth\] GET \/app/);
      sim.clearViolations();
    });

    it("requires an installation token on repository routes", async () => {
      const path = `${sim.url}/repos/${repo.fullName}`;
      assert.equal((await fetch(path)).status, 401);
      assert.equal((await fetch(path, { headers: { authorization: "token ghs_not-a-real-token" } })).status, 401);
      assert.equal((await fetch(path, { headers: { authorization: `Bearer ${sim.createAppJwt()}` } })).status, 401);
      const token = sim.createInstallationToken();
      assert.equal((await fetch(path, { headers: { authorization: `token ${token}` } })).status, 200);
      assert.equal((await fetch(path, { headers: { authorization: `Bearer ${token}` } })).status, 200);
      sim.revokeToken(token);
      assert.equal((await fetch(path, { headers: { authorization: `token ${token}` } })).status, 401);
      assert.equal(sim.violations.filter((v) => v.kind === "auth").length, 4);
      sim.clearViolations();
    });
  });

  describe("request validation", () => {
    it("answers 422 and records a violation for a check run with a bad conclusion or no name", async () => {
      const head_sha = (await sim.branchSha(repo, "main"))!;
      await assert.rejects(
        octokit.rest.checks.create({ owner: repo.owner, repo: repo.name, name: "plan", head_sha, conclusion: "great" as "success" }),
        (error: { status?: number }) => error.status === 422,
      );
      await assert.rejects(
        // The untyped form, since the typed one would not let a test forget `name`.
        octokit.request({ method: "POST", url: "/repos/{owner}/{repo}/check-runs", owner: repo.owner, repo: repo.name, head_sha }),
        (error: { status?: number }) => error.status === 422,
      );
      const kinds = sim.violations.map((v) => v.kind);
      assert.deepEqual(kinds, ["invalid-body", "invalid-body"]);
      assert.match(sim.violations[0]!.message, /conclusion/);
      assert.match(sim.violations[1]!.message, /name/);
      assert.throws(() => sim.assertNoViolations(), /checks\/create/);
      sim.assertNoViolations({ ignore: (v) => v.operationId === "checks/create" });
      assert.equal(sim.checkRuns(repo).length, 0);
      sim.clearViolations();
    });

    it("flags unknown routes, wrong methods, bad query values and routes it does not simulate", async () => {
      const token = sim.createInstallationToken();
      const headers = { authorization: `token ${token}` };
      assert.equal((await fetch(`${sim.url}/repos/${repo.fullName}/plans`, { headers })).status, 404);
      assert.equal((await fetch(`${sim.url}/repos/${repo.fullName}/check-runs`, { headers, method: "GET" })).status, 404);
      assert.equal((await fetch(`${sim.url}/repos/${repo.fullName}/pulls?state=merged`, { headers })).status, 422);
      assert.equal((await fetch(`${sim.url}/repos/${repo.fullName}/releases`, { headers })).status, 501);
      assert.deepEqual(
        sim.violations.map((v) => v.kind),
        ["unknown-route", "method-not-allowed", "invalid-parameters", "not-simulated"],
      );
      sim.clearViolations();
    });

    it("limits issue comments to 65536 characters", async () => {
      const { number } = await sim.openPullRequest({ repo, head: "long-comment", author: "alice", files: { "a.txt": "a\n" } });
      const ok = await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.name, issue_number: number, body: "x".repeat(65536) });
      assert.equal(ok.status, 201);
      await assert.rejects(
        octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.name, issue_number: number, body: "x".repeat(65537) }),
        (error: { status?: number }) => error.status === 422,
      );
      await assert.rejects(
        octokit.rest.issues.updateComment({ owner: repo.owner, repo: repo.name, comment_id: ok.data.id, body: "y".repeat(70000) }),
        (error: { status?: number }) => error.status === 422,
      );
      assert.equal(sim.comments(repo, number).length, 1);
      assert.equal(sim.comments(repo, number)[0]!.body.length, 65536);
      assert.deepEqual(
        sim.violations.map((v) => `${v.kind} ${v.status}`),
        ["rejected 422", "rejected 422"],
      );
      sim.clearViolations();
    });
  });

  describe("webhooks", () => {
    it("signs deliveries like GitHub and sends payloads that match the webhook schema and the state", async () => {
      const before = receiver.received.length;
      const { number, headSha, delivery } = await sim.openPullRequest({
        repo,
        head: "feature/scale",
        title: "Scale up",
        author: "alice",
        files: { "envs/prod/app.yaml": 'kind: ConfigMap\ndata: {a: "1"}\n' },
      });
      assert.equal(delivery.status, 202);
      const got = receiver.received[before]!;
      assert.equal(got.headers["x-github-event"], "pull_request");
      assert.match(String(got.headers["x-github-delivery"]), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.match(String(got.headers["user-agent"]), /^GitHub-Hookshot\//);
      assert.equal(got.headers["x-github-hook-installation-target-type"], "integration");
      assert.equal(got.headers["x-github-hook-installation-target-id"], String(sim.appId));
      assert.match(String(got.headers["x-github-hook-id"]), /^\d+$/);
      assert.equal(got.headers["content-type"], "application/json");
      assert.ok(await verify(sim.webhookSecret, got.body, String(got.headers["x-hub-signature-256"])));

      const payload = JSON.parse(got.body);
      assert.deepEqual(WebhookCatalog.shared().validate("pull_request", payload), []);
      assert.equal(payload.action, "opened");
      assert.equal(payload.number, number);
      assert.equal(payload.pull_request.head.sha, headSha);
      assert.equal(payload.pull_request.head.ref, "feature/scale");
      assert.equal(payload.pull_request.base.sha, await sim.branchSha(repo, "main"));
      assert.equal(payload.installation.id, sim.installationId);
      assert.equal(payload.repository.full_name, repo.fullName);
      assert.equal(payload.sender.login, "alice");
    });

    it("lets tests send unsigned, wrongly signed and redelivered webhooks", async () => {
      const { payload } = sim.deliveries[sim.deliveries.length - 1]!;
      assert.equal((await sim.sendWebhook({ event: "pull_request", payload, signature: "missing" })).status, 401);
      assert.equal((await sim.sendWebhook({ event: "pull_request", payload, signature: "invalid" })).status, 401);
      const first = await sim.sendWebhook({ event: "pull_request", payload });
      const again = await sim.sendWebhook({ event: "pull_request", payload, deliveryId: first.deliveryId });
      assert.equal(again.headers["x-github-delivery"], first.deliveryId);
      assert.equal(again.status, 202);
    });

    it("refuses to send a payload that GitHub could not have sent", async () => {
      await assert.rejects(sim.sendWebhook({ event: "pull_request", payload: { action: "opened", number: "one" } }), /schema rejects/);
    });

    it("merges for real and sends pull_request.closed then push; comments and re-runs send their events", async () => {
      const { number, headSha } = await sim.openPullRequest({
        repo,
        head: "feature/merge-me",
        author: "bob",
        files: { "envs/prod/new.yaml": "kind: Namespace\n" },
      });
      const merge = await sim.mergePullRequest({ repo, number, mergedBy: "carol" });
      assert.equal(await sim.branchSha(repo, "main"), merge.sha);
      assert.equal(await sim.readFile(repo, "main", "envs/prod/new.yaml"), "kind: Namespace\n");
      assert.equal(merge.closed.payload.action, "closed");
      assert.equal((merge.closed.payload.pull_request as { merged: boolean }).merged, true);
      assert.equal((merge.closed.payload.pull_request as { merge_commit_sha: string }).merge_commit_sha, merge.sha);
      assert.equal(merge.push.event, "push");
      assert.equal(merge.push.payload.after, merge.sha);
      assert.equal(merge.push.payload.ref, "refs/heads/main");
      const pushed = merge.push.payload.commits as Array<{ id: string; added: string[] }>;
      assert.ok(pushed.some((c) => c.id === headSha && c.added.includes("envs/prod/new.yaml")));

      const { delivery: commentDelivery } = await sim.comment({ repo, issueNumber: number, author: "dave", body: "/rollback" });
      assert.equal(commentDelivery.event, "issue_comment");
      assert.equal((commentDelivery.payload.comment as { body: string }).body, "/rollback");
      assert.ok((commentDelivery.payload.issue as { pull_request?: unknown }).pull_request);

      const { data: run } = await octokit.rest.checks.create({
        owner: repo.owner,
        repo: repo.name,
        name: "plan: prod",
        head_sha: headSha,
        status: "in_progress",
      });
      const rerun = await sim.rerequestCheckRun({ repo, checkRunId: run.id });
      assert.equal(rerun.payload.action, "rerequested");
      const suite = await sim.rerequestCheckSuite({ repo, headSha });
      assert.equal((suite.payload.check_suite as { head_sha: string }).head_sha, headSha);
      const sync = await sim.openPullRequest({ repo, head: "feature/sync", author: "erin", fromFork: true, files: { "x.txt": "1\n" } });
      const synced = await sim.synchronizePullRequest({ repo, number: sync.number, files: { "x.txt": "2\n" } });
      assert.equal(synced.delivery.payload.before, sync.headSha);
      assert.equal(synced.delivery.payload.after, synced.headSha);
      assert.equal((synced.delivery.payload.pull_request as { head: { repo: { fork: boolean } } }).head.repo.fork, true);
      sim.assertNoViolations();
    });
  });

  describe("REST state", () => {
    it("reads committed files, directories and trees back through @octokit/rest", async () => {
      const sha = await sim.commit({ repo, branch: "contents", files: { "envs/dev/cm.yaml": "kind: ConfigMap\nmetadata: {name: dev}\n" }, message: "Add dev" });
      const { data: file } = await octokit.rest.repos.getContent({ owner: repo.owner, repo: repo.name, path: "envs/dev/cm.yaml", ref: sha });
      assert.ok(!Array.isArray(file) && file.type === "file");
      assert.equal(Buffer.from(file.content, "base64").toString("utf8"), "kind: ConfigMap\nmetadata: {name: dev}\n");

      const { data: dir } = await octokit.rest.repos.getContent({ owner: repo.owner, repo: repo.name, path: "envs", ref: "contents" });
      assert.ok(Array.isArray(dir));
      assert.deepEqual(dir.map((e) => `${e.type}:${e.path}`).sort(), ["dir:envs/dev", "dir:envs/prod"]);

      await assert.rejects(
        octokit.rest.repos.getContent({ owner: repo.owner, repo: repo.name, path: "envs/dev/cm.yaml", ref: "main" }),
        (error: { status?: number }) => error.status === 404,
      );

      const { data: tree } = await octokit.rest.git.getTree({ owner: repo.owner, repo: repo.name, tree_sha: sha, recursive: "1" });
      const blob = tree.tree.find((e) => e.path === "envs/dev/cm.yaml")!;
      assert.equal(blob.type, "blob");
      const { data: blobData } = await octokit.rest.git.getBlob({ owner: repo.owner, repo: repo.name, file_sha: blob.sha! });
      assert.equal(Buffer.from(blobData.content, "base64").toString("utf8"), "kind: ConfigMap\nmetadata: {name: dev}\n");

      const { data: commit } = await octokit.rest.repos.getCommit({ owner: repo.owner, repo: repo.name, ref: "contents" });
      assert.equal(commit.sha, sha);
      assert.deepEqual(
        commit.files?.map((f) => `${f.status}:${f.filename}`),
        ["added:envs/dev/cm.yaml"],
      );

      const { data: comparison } = await octokit.rest.repos.compareCommitsWithBasehead({ owner: repo.owner, repo: repo.name, basehead: "main...contents" });
      assert.equal(comparison.status, "ahead");
      assert.equal(comparison.ahead_by, 1);

      const tarball = await octokit.rest.repos.downloadTarballArchive({ owner: repo.owner, repo: repo.name, ref: sha });
      const tar = gunzipSync(Buffer.from(tarball.data as ArrayBuffer)).toString("latin1");
      assert.match(tar, /envs\/dev\/cm\.yaml/);
      sim.assertNoViolations();
    });

    it("writes trees, commits and refs into the git repository", async () => {
      const base = (await sim.branchSha(repo, "main"))!;
      const { data: baseCommit } = await octokit.rest.git.getCommit({ owner: repo.owner, repo: repo.name, commit_sha: base });
      const { data: tree } = await octokit.rest.git.createTree({
        owner: repo.owner,
        repo: repo.name,
        base_tree: baseCommit.tree.sha,
        tree: [
          { path: "envs/prod/app.yaml", mode: "100644", type: "blob", content: "kind: ConfigMap\n# reverted\n" },
          { path: ".github/slipway.yml", mode: "100644", type: "blob", sha: null },
        ],
      });
      const { data: commit } = await octokit.rest.git.createCommit({ owner: repo.owner, repo: repo.name, message: "Revert", tree: tree.sha, parents: [base] });
      await octokit.rest.git.createRef({ owner: repo.owner, repo: repo.name, ref: "refs/heads/slipway/revert-1", sha: commit.sha });
      const { data: ref } = await octokit.rest.git.getRef({ owner: repo.owner, repo: repo.name, ref: "heads/slipway/revert-1" });
      assert.equal(ref.object.sha, commit.sha);
      assert.equal(await sim.readFile(repo, "slipway/revert-1", "envs/prod/app.yaml"), "kind: ConfigMap\n# reverted\n");
      assert.equal(await sim.readFile(repo, "slipway/revert-1", ".github/slipway.yml"), undefined);

      // Moving a branch backwards needs force, as on GitHub.
      await assert.rejects(
        octokit.rest.git.updateRef({ owner: repo.owner, repo: repo.name, ref: "heads/slipway/revert-1", sha: base }),
        (error: { status?: number }) => error.status === 422,
      );
      await octokit.rest.git.updateRef({ owner: repo.owner, repo: repo.name, ref: "heads/slipway/revert-1", sha: base, force: true });
      assert.equal(await sim.branchSha(repo, "slipway/revert-1"), base);
      await sim.idle();
      assert.ok(sim.deliveries.some((d) => d.event === "push" && d.payload.ref === "refs/heads/slipway/revert-1" && d.payload.forced === true));
      assert.deepEqual(
        sim.violations.map((v) => v.message),
        ["422 Update is not a fast forward"],
      );
      sim.clearViolations();
    });

    it("paginates list routes with Link headers", async () => {
      const { number } = await sim.openPullRequest({ repo, head: "many-comments", author: "alice", files: { "b.txt": "b\n" } });
      for (let i = 0; i < 45; i++) await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.name, issue_number: number, body: `comment ${i}` });
      const first = await octokit.rest.issues.listComments({ owner: repo.owner, repo: repo.name, issue_number: number, per_page: 20 });
      assert.equal(first.data.length, 20);
      assert.match(String(first.headers.link), /[?&]page=2[^>]*>; rel="next"/);
      assert.match(String(first.headers.link), /[?&]page=3[^>]*>; rel="last"/);
      const all = await octokit.paginate(octokit.rest.issues.listComments, { owner: repo.owner, repo: repo.name, issue_number: number, per_page: 20 });
      assert.deepEqual(
        all.map((c) => c.body),
        Array.from({ length: 45 }, (_, i) => `comment ${i}`),
      );
      const defaultPage = await octokit.rest.issues.listComments({ owner: repo.owner, repo: repo.name, issue_number: number });
      assert.equal(defaultPage.data.length, 30);
      sim.assertNoViolations();
    });

    it("keeps check runs: annotations accumulate, at most 50 per request, 65535-char output", async () => {
      const head_sha = (await sim.branchSha(repo, "main"))!;
      const annotation = (line: number) => ({
        path: "envs/prod/app.yaml",
        start_line: line,
        end_line: line,
        annotation_level: "warning" as const,
        message: `line ${line}`,
      });
      const { data: run } = await octokit.rest.checks.create({
        owner: repo.owner,
        repo: repo.name,
        name: "plan: prod",
        head_sha,
        status: "in_progress",
        output: { title: "Planning", summary: "working", annotations: Array.from({ length: 50 }, (_, i) => annotation(i + 1)) },
      });
      await octokit.rest.checks.update({
        owner: repo.owner,
        repo: repo.name,
        check_run_id: run.id,
        conclusion: "success",
        output: { title: "Plan", summary: "done", annotations: [annotation(99)] },
      });
      const stored = sim.checkRuns(repo, { name: "plan: prod", headSha: head_sha }).at(-1)!;
      assert.equal(stored.annotations.length, 51);
      assert.equal(stored.status, "completed");
      assert.ok(stored.completedAt);
      const { data: fetched } = await octokit.rest.checks.get({ owner: repo.owner, repo: repo.name, check_run_id: run.id });
      assert.equal(fetched.output.annotations_count, 51);
      assert.equal(fetched.conclusion, "success");

      await assert.rejects(
        octokit.rest.checks.update({
          owner: repo.owner,
          repo: repo.name,
          check_run_id: run.id,
          output: { title: "t", summary: "s", annotations: Array.from({ length: 51 }, (_, i) => annotation(i + 1)) },
        }),
        (error: { status?: number }) => error.status === 422,
      );
      await assert.rejects(
        octokit.rest.checks.update({ owner: repo.owner, repo: repo.name, check_run_id: run.id, output: { title: "t", summary: "s".repeat(65536) } }),
        (error: { status?: number }) => error.status === 422,
      );
      assert.equal(sim.checkRuns(repo).find((r) => r.id === run.id)!.annotations.length, 51);
      const { data: list } = await octokit.rest.checks.listForRef({ owner: repo.owner, repo: repo.name, ref: "main" });
      assert.ok(list.check_runs.some((r) => r.id === run.id));
      assert.equal(sim.violations.length, 2);
      sim.clearViolations();
    });

    it("keeps statuses, deployments with auto_inactive, reactions and permissions", async () => {
      const sha = (await sim.branchSha(repo, "main"))!;
      await octokit.rest.repos.createCommitStatus({ owner: repo.owner, repo: repo.name, sha, state: "success", context: "slipway/prod" });
      const { data: statuses } = await octokit.rest.repos.listCommitStatusesForRef({ owner: repo.owner, repo: repo.name, ref: sha });
      assert.equal(statuses[0]?.context, "slipway/prod");
      assert.equal(sim.statuses(repo, sha).length, 1);

      const deploy = async () => {
        const { data } = await octokit.rest.repos.createDeployment({
          owner: repo.owner,
          repo: repo.name,
          ref: sha,
          environment: "prod",
          auto_merge: false,
          required_contexts: [],
        });
        assert.ok("id" in data);
        await octokit.rest.repos.createDeploymentStatus({ owner: repo.owner, repo: repo.name, deployment_id: data.id, state: "success" });
        return data.id;
      };
      const first = await deploy();
      const second = await deploy();
      assert.deepEqual(
        sim.deploymentStatuses(repo, first).map((s) => s.state),
        ["success", "inactive"],
      );
      assert.deepEqual(
        sim.deploymentStatuses(repo, second).map((s) => s.state),
        ["success"],
      );
      const { data: listed } = await octokit.rest.repos.listDeployments({ owner: repo.owner, repo: repo.name, environment: "prod" });
      assert.deepEqual(
        listed.map((d) => d.id),
        [second, first],
      );

      const { number } = await sim.openPullRequest({ repo, head: "react", author: "alice", files: { "c.txt": "c\n" } });
      const { commentId } = await sim.comment({ repo, issueNumber: number, author: "alice", body: "/plan" });
      const created = await octokit.rest.reactions.createForIssueComment({ owner: repo.owner, repo: repo.name, comment_id: commentId, content: "eyes" });
      const repeated = await octokit.rest.reactions.createForIssueComment({ owner: repo.owner, repo: repo.name, comment_id: commentId, content: "eyes" });
      assert.equal(created.status, 201);
      assert.equal(repeated.status, 200);
      assert.equal(sim.reactions(repo, commentId).length, 1);

      const expected = { admin: "admin", maintain: "write", write: "write", triage: "read", read: "read", none: "none" } as const;
      for (const [role, legacy] of Object.entries(expected)) {
        sim.setPermission(repo, `user-${role}`, role as keyof typeof expected);
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: repo.owner, repo: repo.name, username: `user-${role}` });
        assert.equal(data.permission, legacy);
        assert.equal(data.role_name, role);
      }
      sim.assertNoViolations();
    });

    it("opens pull requests through the API and lists them by state", async () => {
      await sim.commit({ repo, branch: "api-pr", files: { "d.txt": "d\n" } });
      const { data: pr } = await octokit.rest.pulls.create({ owner: repo.owner, repo: repo.name, head: "api-pr", base: "main", title: "From the App" });
      assert.equal(pr.user.login, sim.botLogin);
      const { data: files } = await octokit.rest.pulls.listFiles({ owner: repo.owner, repo: repo.name, pull_number: pr.number });
      assert.deepEqual(
        files.map((f) => f.filename),
        ["d.txt"],
      );
      const open = await octokit.paginate(octokit.rest.pulls.list, { owner: repo.owner, repo: repo.name, state: "open" });
      const closed = await octokit.rest.pulls.list({ owner: repo.owner, repo: repo.name, state: "closed" });
      assert.ok(open.some((p) => p.number === pr.number));
      assert.ok(closed.data.every((p) => p.state === "closed") && closed.data.length >= 1);
      await sim.idle();
      assert.ok(sim.deliveries.some((d) => d.event === "pull_request" && d.action === "opened" && d.payload.number === pr.number));
      sim.assertNoViolations();
    });
  });
});

describe("GitHub simulator with a Probot app", () => {
  it("drives a Probot app end to end: verified webhook in, authenticated API calls out", async () => {
    const sim = await startGitHubSimulator();
    const probot = new Probot({
      appId: sim.appId,
      privateKey: sim.privateKey,
      secret: sim.webhookSecret,
      baseUrl: sim.url,
      logLevel: "fatal",
      Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
    });
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on("pull_request.opened", async (context) => {
          const pr = context.payload.pull_request;
          const { data: config } = await context.octokit.rest.repos.getContent(context.repo({ path: ".github/slipway.yml", ref: pr.head.sha }));
          const found = !Array.isArray(config) && config.type === "file";
          await context.octokit.rest.checks.create(
            context.repo({ name: "slipway: plan", head_sha: pr.head.sha, conclusion: found ? "success" : "failure", output: { title: "Plan", summary: "ok" } }),
          );
          await context.octokit.rest.issues.createComment(context.issue({ body: "Planned." }));
        });
      },
      { probot, webhooksPath: "/api/github/webhooks" },
    );
    const server = createServer((req, res) => {
      void middleware(req, res, () => res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      sim.setWebhookUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`);
      const repo = await sim.createRepository({ name: "probot-e2e", files: { ".github/slipway.yml": "environments: {}\n" } });
      const { number, headSha, delivery } = await sim.openPullRequest({ repo, head: "feature", author: "alice", files: { "a.yaml": "a: 1\n" } });
      assert.equal(delivery.status, 200, delivery.responseBody);
      const runs = await sim.waitFor(() => sim.checkRuns(repo, { headSha }).length > 0 && sim.checkRuns(repo, { headSha }));
      assert.equal(runs[0]!.conclusion, "success");
      assert.equal(sim.comments(repo, number)[0]?.body, "Planned.");
      assert.equal(sim.comments(repo, number)[0]?.user.login, sim.botLogin);

      const { payload } = delivery;
      const unsigned = await sim.sendWebhook({ event: "pull_request", payload, signature: "missing" });
      const wrong = await sim.sendWebhook({ event: "pull_request", payload, signature: "invalid" });
      // Plain Probot (@octokit/webhooks) refuses both with 400; a 401 must come from Slipway's own check.
      assert.equal(unsigned.status, 400);
      assert.equal(wrong.status, 400);
      assert.match(wrong.responseBody, /signature does not match/);
      sim.assertNoViolations();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sim.close();
    }
  });
});
