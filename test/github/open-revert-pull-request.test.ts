import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { ProbotOctokit } from "probot";
import { openRevertPullRequest, type OpenRevertPullRequestParams } from "../../src/github/open-revert-pull-request.js";
import { parseRollbackBranch, rollbackBranch } from "../../src/github/rollback-branch.js";
import { startGitHubSimulator, type GitHubSimulator, type RepositoryHandle } from "../support/github-simulator/index.js";

const run = promisify(execFile);

type TreeWrite = { path: string; mode: "100644" | "100755" | "120000"; type: "blob"; content?: string; sha?: null };

let sim: GitHubSimulator;
let octokit: ProbotOctokit;
let receiver: Server;

before(async () => {
  sim = await startGitHubSimulator();
  // The branch and pull request writes send webhooks, as on GitHub; nobody here needs them.
  receiver = createServer((req, res) => req.resume().on("end", () => res.writeHead(202).end()));
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  sim.setWebhookUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`);
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const Octokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });
  octokit = new Octokit({ auth: { token: sim.createInstallationToken() }, baseUrl: sim.url, log: quiet });
});

after(async () => {
  await sim.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function assertClean(): Promise<void> {
  await sim.idle();
  sim.assertNoViolations();
}

/** The tree (or blob) sha at `path` in `ref`, straight from git: equal shas mean equal contents and modes. */
async function treeAt(repo: RepositoryHandle, ref: string, path: string): Promise<string> {
  const { stdout } = await run("git", ["--git-dir", sim.gitDir(repo), "rev-parse", `${ref}:${path}`]);
  return stdout.trim();
}

async function commitMessage(repo: RepositoryHandle, ref: string): Promise<string> {
  const { stdout } = await run("git", ["--git-dir", sim.gitDir(repo), "log", "-1", "--format=%B", ref]);
  return stdout.trim();
}

const v1Files = {
  "README.md": "# Deploys\n",
  "deploy/staging/app.yaml": "kind: Deployment\nreplicas: 2\n",
  "deploy/staging/config.yaml": "kind: ConfigMap\n",
  "deploy/staging/old.yaml": "kind: Service\n",
  "deploy/staging/nested/db.yaml": "kind: StatefulSet\nreplicas: 1\n",
  "deploy/production/app.yaml": "kind: Deployment\nreplicas: 3\n",
};

/** A repository at v1, then v2 that changes, adds and deletes under deploy/staging and changes production. */
async function repositoryWithTwoVersions(name: string) {
  const repo = await sim.createRepository({ name, files: v1Files });
  const v1 = (await sim.branchSha(repo, "main"))!;
  const v2 = await sim.commit({
    repo,
    message: "Scale up and rename",
    files: {
      "deploy/staging/app.yaml": "kind: Deployment\nreplicas: 5\n",
      "deploy/staging/new.yaml": "kind: Job\n",
      "deploy/staging/old.yaml": null,
      "deploy/staging/nested/db.yaml": "kind: StatefulSet\nreplicas: 2\n",
      "deploy/production/app.yaml": "kind: Deployment\nreplicas: 4\n",
    },
  });
  return { repo, v1, v2 };
}

const paramsFor = (repo: RepositoryHandle, targetSha: string, fromSha: string): OpenRevertPullRequestParams => ({
  owner: repo.owner,
  repo: repo.name,
  branch: "main",
  environment: "staging",
  path: "deploy/staging",
  targetSha,
  fromSha,
  requestedBy: "octocat",
  body: "Asked in #7.",
});

describe("openRevertPullRequest", () => {
  it("opens a pull request whose branch holds the environment's folder exactly as at the target, and nothing else changed", async () => {
    const { repo, v1, v2 } = await repositoryWithTwoVersions("revert-basic");

    const result = await openRevertPullRequest(octokit, paramsFor(repo, v1, v2));

    const branch = `slipway/rollback/staging/${v1.slice(0, 7)}`;
    assert.equal(result.status, "opened");
    assert.ok(result.status === "opened");
    assert.equal(result.branch, branch);
    const [pull] = sim.pullRequests(repo);
    assert.equal(pull?.number, result.number);
    assert.equal(result.url, `https://github.com/${repo.fullName}/pull/${result.number}`);
    assert.equal(pull?.baseRef, "main");
    assert.equal(pull?.headRef, branch);
    assert.equal(pull?.title, `Roll back staging to ${v1.slice(0, 7)}`);
    assert.match(pull?.body ?? "", /pinned/);
    assert.match(pull?.body ?? "", /\*\*Merge\*\* it: `main` matches what runs again and the pin is lifted/);
    assert.match(pull?.body ?? "", /\*\*Close\*\* it: the pin stays until a maintainer lifts it/);
    assert.match(pull?.body ?? "", /Asked in #7\.$/);

    // The folder is v1's, file by file and as a whole tree; outside it, v2 stays.
    for (const path of ["deploy/staging/app.yaml", "deploy/staging/config.yaml", "deploy/staging/old.yaml", "deploy/staging/nested/db.yaml"]) {
      assert.equal(await sim.readFile(repo, branch, path), v1Files[path as keyof typeof v1Files], path);
    }
    assert.equal(await sim.readFile(repo, branch, "deploy/staging/new.yaml"), undefined);
    assert.equal(await treeAt(repo, branch, "deploy/staging"), await treeAt(repo, v1, "deploy/staging"));
    assert.equal(await sim.readFile(repo, branch, "deploy/production/app.yaml"), "kind: Deployment\nreplicas: 4\n");
    assert.equal(await treeAt(repo, branch, "deploy/production"), await treeAt(repo, v2, "deploy/production"));
    assert.equal(await treeAt(repo, branch, "README.md"), await treeAt(repo, v2, "README.md"));

    // One commit on top of the branch, saying what and who.
    assert.equal(await treeAt(repo, `${branch}~1`, ""), await treeAt(repo, v2, ""));
    assert.equal(await sim.branchSha(repo, "main"), v2, "the environment's branch itself does not move");
    const message = await commitMessage(repo, branch);
    assert.match(
      message,
      new RegExp(`^Roll back staging to ${v1.slice(0, 7)}\n\noctocat rolled staging back to ${v1} with /rollback\\. It ran ${v2} before\\.`),
    );
    await assertClean();
  });

  it("asked again, returns the open pull request without writing anything", async () => {
    const { repo, v1, v2 } = await repositoryWithTwoVersions("revert-twice");
    const first = await openRevertPullRequest(octokit, paramsFor(repo, v1, v2));
    assert.equal(first.status, "opened");
    assert.ok(first.status === "opened");
    const branchSha = await sim.branchSha(repo, first.branch);
    const writes = sim.requests.filter((r) => r.method !== "GET").length;

    const second = await openRevertPullRequest(octokit, paramsFor(repo, v1, v2));

    assert.deepEqual(second, { ...first, status: "existing" });
    assert.equal(sim.pullRequests(repo).length, 1);
    assert.equal(await sim.branchSha(repo, first.branch), branchSha);
    assert.equal(sim.requests.filter((r) => r.method !== "GET").length, writes);
    await assertClean();
  });

  it("after the first revert pull request was closed, moves the branch to a fresh commit and opens another", async () => {
    const { repo, v1, v2 } = await repositoryWithTwoVersions("revert-reopen");
    const first = await openRevertPullRequest(octokit, paramsFor(repo, v1, v2));
    assert.ok(first.status === "opened");
    await sim.closePullRequest({ repo, number: first.number });
    const v3 = await sim.commit({ repo, files: { "deploy/staging/config.yaml": "kind: ConfigMap\ndata: {}\n" } });

    const second = await openRevertPullRequest(octokit, paramsFor(repo, v1, v3));

    assert.equal(second.status, "opened");
    assert.ok(second.status === "opened");
    assert.notEqual(second.number, first.number);
    assert.equal(second.branch, first.branch);
    assert.equal(await treeAt(repo, `${second.branch}~1`, ""), await treeAt(repo, v3, ""), "built on the branch as it is now");
    assert.equal(await treeAt(repo, second.branch, "deploy/staging"), await treeAt(repo, v1, "deploy/staging"));
    await assertClean();
  });

  it("has nothing to revert when the folder already matches the target, even if other files differ", async () => {
    const { repo, v2 } = await repositoryWithTwoVersions("revert-nothing");
    assert.deepEqual(await openRevertPullRequest(octokit, paramsFor(repo, v2, v2)), { status: "nothing-to-revert" });

    const v3 = await sim.commit({ repo, files: { "README.md": "# Deploys, documented\n", "deploy/production/app.yaml": "kind: Deployment\nreplicas: 6\n" } });
    assert.deepEqual(await openRevertPullRequest(octokit, paramsFor(repo, v2, v3)), { status: "nothing-to-revert" });
    assert.deepEqual(sim.pullRequests(repo), []);
    assert.equal(sim.requests.filter((r) => r.path.includes(`/${repo.name}/`) && r.method !== "GET").length, 0);
    await assertClean();
  });

  it("keeps symlinks and executable modes, and turns a folder back into a file", async () => {
    const repo = await sim.createRepository({ name: "revert-modes", files: { "README.md": "hi\n" } });
    const { owner, name } = repo;
    const write = async (tree: TreeWrite[], message: string) => {
      const parent = (await sim.branchSha(repo, "main"))!;
      const { data: created } = await octokit.rest.git.createTree({ owner, repo: name, base_tree: parent, tree });
      const { data: commit } = await octokit.rest.git.createCommit({ owner, repo: name, message, tree: created.sha, parents: [parent] });
      await octokit.rest.git.updateRef({ owner, repo: name, ref: "heads/main", sha: commit.sha });
      return commit.sha;
    };
    const v1 = await write(
      [
        { path: "deploy/staging/app.yaml", mode: "100644", type: "blob", content: "kind: Deployment\n" },
        { path: "deploy/staging/hooks/check.sh", mode: "100755", type: "blob", content: "#!/bin/sh\nexit 0\n" },
        { path: "deploy/staging/current.yaml", mode: "120000", type: "blob", content: "app.yaml" },
        { path: "deploy/staging/extra", mode: "100644", type: "blob", content: "a file\n" },
      ],
      "v1",
    );
    const v2 = await write(
      [
        { path: "deploy/staging/hooks/check.sh", mode: "100644", type: "blob", content: "#!/bin/sh\nexit 1\n" },
        { path: "deploy/staging/current.yaml", mode: "100644", type: "blob", content: "kind: Deployment\n" },
        { path: "deploy/staging/extra", mode: "100644", type: "blob", sha: null },
        { path: "deploy/staging/extra/inner.yaml", mode: "100644", type: "blob", content: "kind: Secret\n" },
      ],
      "v2",
    );

    const result = await openRevertPullRequest(octokit, { ...paramsFor(repo, v1, v2), path: "./deploy/staging/" });

    assert.ok(result.status === "opened");
    const { data } = await octokit.rest.git.getTree({ owner, repo: name, tree_sha: result.branch, recursive: "true" });
    const byPath = new Map(data.tree.map((e) => [e.path, e]));
    assert.equal(byPath.get("deploy/staging/hooks/check.sh")?.mode, "100755");
    assert.equal(byPath.get("deploy/staging/current.yaml")?.mode, "120000");
    assert.equal(await sim.readFile(repo, result.branch, "deploy/staging/current.yaml"), "app.yaml");
    assert.equal(byPath.get("deploy/staging/extra")?.type, "blob");
    assert.equal(byPath.has("deploy/staging/extra/inner.yaml"), false);
    assert.equal(await treeAt(repo, result.branch, "deploy/staging"), await treeAt(repo, v1, "deploy/staging"));
    await assertClean();
  });

  it("empties the folder when the target predates it", async () => {
    const repo = await sim.createRepository({ name: "revert-empty", files: { "README.md": "hi\n" } });
    const v1 = (await sim.branchSha(repo, "main"))!;
    const v2 = await sim.commit({ repo, files: { "deploy/staging/app.yaml": "kind: Deployment\n", "deploy/staging/a/b/c.yaml": "kind: Service\n" } });

    const result = await openRevertPullRequest(octokit, paramsFor(repo, v1, v2));

    assert.ok(result.status === "opened");
    assert.equal(await sim.readFile(repo, result.branch, "deploy/staging/app.yaml"), undefined);
    assert.equal(await sim.readFile(repo, result.branch, "deploy/staging/a/b/c.yaml"), undefined);
    assert.equal(await sim.readFile(repo, result.branch, "README.md"), "hi\n");
    await assertClean();
  });

  it("reports a tree GitHub truncates as a result and writes nothing", async () => {
    const { repo, v1, v2 } = await repositoryWithTwoVersions("revert-huge");
    sim.setTreeEntryLimit(3);
    try {
      const result = await openRevertPullRequest(octokit, paramsFor(repo, v1, v2));
      assert.equal(result.status, "tree-too-large");
      assert.ok(result.status === "tree-too-large");
      assert.match(result.message, /larger than GitHub lists in one request/);
    } finally {
      sim.setTreeEntryLimit(100_000);
    }
    assert.equal(await sim.branchSha(repo, rollbackBranch("staging", v1)), undefined);
    assert.deepEqual(sim.pullRequests(repo), []);
    await assertClean();
  });
});

describe("rollbackBranch and parseRollbackBranch", () => {
  const sha = "0123456789abcdef0123456789abcdef01234567";

  it("round-trip an environment and a short sha, with or without refs/heads/", () => {
    assert.equal(rollbackBranch("staging", sha), "slipway/rollback/staging/0123456");
    assert.deepEqual(parseRollbackBranch("slipway/rollback/staging/0123456"), { environment: "staging", sha: "0123456" });
    assert.deepEqual(parseRollbackBranch("refs/heads/slipway/rollback/prod-eu/0123456"), { environment: "prod-eu", sha: "0123456" });
  });

  it("recognise nothing else", () => {
    for (const ref of [
      "main",
      "slipway/rollback/staging",
      "slipway/rollback/staging/",
      "slipway/rollback//0123456",
      "slipway/rollback/staging/xyz1234",
      "slipway/rollback/staging/0123456/more",
      "slipway/rollback/Staging/0123456",
      "feature/slipway/rollback/staging/0123456",
    ]) {
      assert.equal(parseRollbackBranch(ref), undefined, ref);
    }
  });
});
