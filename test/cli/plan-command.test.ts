import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { CommandIo } from "../../src/cli/command-io.js";
import { runPlanCommand } from "../../src/cli/plan-command.js";
import { createTestNamespace, testClusterClient, type TestNamespace } from "../support/test-cluster.js";

const deployment = (image: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n  selector:\n    matchLabels: { app: api }\n  template:\n    metadata:\n      labels: { app: api }\n    spec:\n      containers:\n        - name: web\n          image: ${image}\n`;

function makeRepository(namespace: string): string {
  const root = mkdtempSync(join(tmpdir(), "slipway-plan-cli-"));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write(".github/slipway.yml", `environments:\n  - name: prod\n    path: deploy/prod\n    cluster: main\n    namespace: ${namespace}\n    prune: true\n`);
  write("deploy/prod/api.yaml", deployment("nginx:1.27"));
  write("deploy/prod/old.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\ndata:\n  a: b\n");
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=Slipway Test", "-c", "user.email=test@slipway.dev", ...args], { cwd: root });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "base");
  // The change under review, in the working tree.
  write("deploy/prod/api.yaml", deployment("nginx:1.28"));
  write("deploy/prod/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: cli-planted-secret-value\n");
  unlinkSync(join(root, "deploy/prod/old.yaml"));
  return root;
}

function io(cwd: string): CommandIo & { out: string; err: string } {
  const captured = { out: "", err: "" };
  return Object.assign(captured, {
    cwd,
    bundledSchemaRoot: "",
    stdout: (text: string) => void (captured.out += text),
    stderr: (text: string) => void (captured.err += text),
  });
}

describe("slipway plan", () => {
  let repository: string;
  before(() => {
    repository = makeRepository("web");
  });
  after(() => rmSync(repository, { recursive: true, force: true }));

  it("plans offline against HEAD without a kubeconfig, as text", async () => {
    const run = io(repository);
    assert.equal(await runPlanCommand(["--env", "prod"], run), 0, run.err);
    assert.match(
      run.out,
      /^Plan for prod \(OFFLINE: compared with HEAD at [0-9a-f]{7} from Git only, not with the live cluster, because no kubeconfig was given/,
    );
    assert.match(run.out, /^ {2}\+ create +Secret web\/creds +deploy\/prod\/secret\.yaml:1 +\(keys: password added\)$/m);
    assert.match(run.out, /^ {2}~ update +Deployment web\/api/m);
    assert.match(run.out, /^ {2}- delete +ConfigMap web\/old +deploy\/prod\/old\.yaml:1/m);
    assert.match(run.out, /nginx:1\.27 → nginx:1\.28/);
    assert.match(run.out, /Summary: 1 to create, 1 to update, 1 to delete, 0 unchanged, 0 rejected/);
    assert.ok(!run.out.includes("cli-planted-secret-value"));
  });

  it("prints JSON and markdown", async () => {
    const json = io(repository);
    assert.equal(await runPlanCommand(["--env", "prod", "--format", "json", "--base", "main"], json), 0, json.err);
    const parsed = JSON.parse(json.out) as { plan: { mode: string; counts: Record<string, number> }; headSha: string };
    assert.equal(parsed.plan.mode, "offline");
    assert.deepEqual(parsed.plan.counts, { create: 1, update: 1, delete: 1, unchanged: 0, rejected: 0 });
    assert.match(parsed.headSha, /^[0-9a-f]{40}$/);
    assert.ok(!json.out.includes("cli-planted-secret-value") && !json.out.includes(Buffer.from("cli-planted-secret-value").toString("base64")));

    const markdown = io(repository);
    assert.equal(await runPlanCommand(["--env", "prod", "--format", "markdown"], markdown), 0);
    assert.ok(markdown.out.startsWith("<!-- slipway:plan -->\n"));
    assert.match(markdown.out, /Offline plan: not compared with the live cluster/);
  });

  it("falls back to an offline plan when the cluster cannot be reached", async () => {
    const kubeconfig = join(repository, "..", `unreachable-${process.pid}.yaml`);
    writeFileSync(
      kubeconfig,
      "apiVersion: v1\nkind: Config\nclusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1' } }]\nusers: [{ name: u, user: { token: t } }]\ncontexts: [{ name: x, context: { cluster: c, user: u } }]\ncurrent-context: x\n",
    );
    try {
      const run = io(repository);
      assert.equal(await runPlanCommand(["--env", "prod", "--kubeconfig", kubeconfig], run), 0, run.err);
      assert.match(run.err, /planning offline instead/);
      assert.match(run.out, /OFFLINE: .* because the cluster could not be reached/);
    } finally {
      rmSync(kubeconfig, { force: true });
    }
  });

  it("rejects bad arguments with usage", async () => {
    const run = io(repository);
    assert.equal(await runPlanCommand([], run), 2);
    assert.match(run.err, /--env is required/);
    assert.equal(await runPlanCommand(["--env", "nope"], io(repository)), 2);
    assert.equal(await runPlanCommand(["--env", "prod", "--base", "--not-a-ref"], io(repository)), 2);
    assert.equal(await runPlanCommand(["--env", "prod", "--pr", "3"], io(repository)), 2);
  });

  it("posts the sticky comment once and edits it in place after", async () => {
    const github = await fakeGitHub([{ id: 7, body: "LGTM", html_url: "https://github.test/c/7", user: { login: "octocat" } }]);
    try {
      const args = ["--env", "prod", "--github-token", "ghs_test", "--github-repo", "acme/shop", "--pr", "12", "--github-api-url", github.url];
      const first = io(repository);
      assert.equal(await runPlanCommand(args, first), 0, first.err);
      // A different plan the second time, so the comment has something to change.
      writeFileSync(join(repository, "deploy/prod/api.yaml"), deployment("nginx:1.29"));
      const second = io(repository);
      try {
        assert.equal(await runPlanCommand(args, second), 0, second.err);
      } finally {
        writeFileSync(join(repository, "deploy/prod/api.yaml"), deployment("nginx:1.28"));
      }
      assert.deepEqual(github.requests, [
        "POST /graphql token ghs_test",
        "GET /repos/acme/shop/issues/12/comments token ghs_test",
        "POST /repos/acme/shop/issues/12/comments token ghs_test",
        "POST /graphql token ghs_test",
        "GET /repos/acme/shop/issues/12/comments token ghs_test",
        "PATCH /repos/acme/shop/issues/comments/8 token ghs_test",
      ]);
      assert.equal(github.comments.length, 2);
      assert.ok(github.comments[1].body.startsWith("<!-- slipway:plan -->"));
      assert.match(github.comments[1].body, /nginx:1\.29/);
      assert.match(second.err, /comment https:\/\/github\.test\/c\/8/);
    } finally {
      github.close();
    }
  });

  it("edits only a plan comment written by the token's own user", async () => {
    const someoneElses = { id: 7, body: "<!-- slipway:plan -->\nanother bot's plan", html_url: "https://github.test/c/7", user: { login: "copycat[bot]" } };
    const github = await fakeGitHub([someoneElses]);
    try {
      const run = io(repository);
      assert.equal(
        await runPlanCommand(["--env", "prod", "--github-token", "ghs_test", "--github-repo", "acme/shop", "--pr", "12", "--github-api-url", github.url], run),
        0,
        run.err,
      );
      assert.equal(github.comments.length, 2);
      assert.equal(github.comments[0].body, "<!-- slipway:plan -->\nanother bot's plan");
      assert.ok(!github.requests.some((request) => request.startsWith("PATCH")));
      assert.match(run.err, /comment https:\/\/github\.test\/c\/8/);
    } finally {
      github.close();
    }
  });
});

interface FakeComment {
  id: number;
  body: string;
  html_url: string;
  user: { login: string };
}

/** Just enough of GitHub for the sticky comment: the token's user is `plan-bot`. */
async function fakeGitHub(comments: FakeComment[]): Promise<{ url: string; requests: string[]; comments: FakeComment[]; close: () => void }> {
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    requests.push(`${req.method} ${req.url?.split("?")[0]} ${req.headers.authorization}`);
    res.setHeader("content-type", "application/json");
    if (req.method === "POST" && req.url === "/graphql") return res.end(JSON.stringify({ data: { viewer: { login: "plan-bot" } } }));
    if (req.method === "GET" && req.url?.startsWith("/repos/acme/shop/issues/12/comments")) return res.end(JSON.stringify(comments));
    if (req.method === "POST" && req.url === "/repos/acme/shop/issues/12/comments") {
      const comment = { id: 8, body: JSON.parse(body).body as string, html_url: "https://github.test/c/8", user: { login: "plan-bot" } };
      comments.push(comment);
      res.statusCode = 201;
      return res.end(JSON.stringify(comment));
    }
    const edit = /^\/repos\/acme\/shop\/issues\/comments\/(\d+)$/.exec(req.url ?? "");
    if (req.method === "PATCH" && edit) {
      const comment = comments.find((c) => c.id === Number(edit[1]))!;
      comment.body = JSON.parse(body).body;
      return res.end(JSON.stringify(comment));
    }
    res.statusCode = 404;
    res.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, comments, close: () => server.close() };
}

describe("slipway plan against the test cluster", () => {
  let ns: TestNamespace;
  let repository: string;
  before(async () => {
    ns = await createTestNamespace("plan-cli", testClusterClient());
    repository = makeRepository(ns.name);
  });
  after(async () => {
    rmSync(repository, { recursive: true, force: true });
    await ns?.cleanup();
  });

  it("plans live with --kubeconfig and reports its API requests", async () => {
    const run = io(repository);
    const code = await runPlanCommand(["--env", "prod", "--kubeconfig", process.env.SLIPWAY_TEST_KUBECONFIG!, "--github-repo", "acme/shop"], run);
    assert.equal(code, 0, run.err);
    assert.match(run.out, /^Plan for prod \(compared with the live cluster\)/);
    assert.match(run.out, /\+ create +Deployment [^ ]+\/api/);
    assert.match(run.out, /\+ create +Secret [^ ]+\/creds .*keys: password added/);
    assert.match(run.err, /2 objects planned against the cluster with \d+ API requests/);
    assert.ok(!run.out.includes("cli-planted-secret-value"));
  });
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => resolve(text));
  });
}
