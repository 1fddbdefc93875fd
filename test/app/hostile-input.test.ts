import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { listJobs } from "../../src/store/index.js";
import { assertGolden } from "../support/golden.js";
import type { CheckRunState, RepositoryHandle } from "../support/github-simulator/index.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";

// Hostile and broken input, each through the simulator and the App: every case ends in a clear
// result (a failing `Slipway / validate` check that says what and where, or an HTTP status)
// within the test's timeout, and the App keeps serving other repositories afterwards.

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});

const config = (path = "deploy/staging") => `environments:
  - name: staging
    path: ${path}
    cluster: staging
    namespace: web
`;

const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n";

type Entry = { path: string; content: string | Buffer; mode?: "100644" | "120000" };

let repoCounter = 0;

/** A configured repository, and a pull request whose head adds `entries` (raw bytes and symlinks allowed). */
async function pullRequestWith(entries: Entry[], options: { config?: string } = {}) {
  const started = await openPullRequestWith(entries, options);
  await t.settle();
  return started;
}

/** As pullRequestWith, but returns as soon as the webhook is acknowledged, while the App works on it. */
async function openPullRequestWith(entries: Entry[], options: { config?: string } = {}) {
  const repo = await t.sim.createRepository({
    name: `hostile-${++repoCounter}`,
    files: { ".github/slipway.yml": config(), "deploy/staging/settings.yaml": configMap },
  });
  const head = "hostile";
  await commitRaw(repo, head, [...(options.config !== undefined ? [{ path: ".github/slipway.yml", content: options.config }] : []), ...entries]);
  const opened = await t.sim.openPullRequest({ repo, head, author: "mallory" });
  assert.equal(opened.delivery.status, 202);
  return { repo, opened };
}

/**
 * Sends a webhook every 50 ms until `work` settles, and returns how long each took to be
 * acknowledged (202), counted from when it was due: a blocked event loop delays the send as much
 * as the answer (GitHub's sender is not in this process), and both count. Unanswered: Infinity.
 */
async function ackLatencies(work: Promise<unknown>): Promise<number[]> {
  let done = false;
  const finished = work.finally(() => {
    done = true;
  });
  const latencies: number[] = [];
  let due = performance.now();
  do {
    await sleep(Math.max(0, due - performance.now()));
    const delivery = await t.sim.sendWebhook({
      event: "slipway_unheard_of",
      payload: { action: "poked", installation: { id: t.sim.installationId } },
      validate: false,
    });
    latencies.push(delivery.status === 202 ? performance.now() - due : Infinity);
    due = Math.max(due + 50, performance.now());
  } while (!done);
  await finished;
  return latencies;
}

async function commitRaw(repo: RepositoryHandle, branch: string, entries: Entry[]): Promise<void> {
  const git = t.sim.repository(repo).git;
  const current = await git.refSha(`refs/heads/${branch}`);
  const base = current ?? (await git.resolveCommit(repo.defaultBranch))!;
  const writes = [];
  for (const entry of entries) {
    writes.push({ path: entry.path, mode: entry.mode ?? "100644", type: "blob" as const, sha: await git.writeBlob(entry.content) });
  }
  const tree = await git.writeTree(await git.resolveTree(base), writes);
  const sha = await git.writeCommit({ tree, parents: [base], message: "Hostile change", author: { name: "mallory", email: "mallory@example.com" } });
  await git.updateRef(`refs/heads/${branch}`, sha, current ?? "");
}

// The simulator shares this process and compiles its OpenAPI validators on first use: one
// ordinary pull request first, so what is measured is the App, not the simulator warming up.
let warm: Promise<unknown> | undefined;
function warmUp(): Promise<unknown> {
  warm ??= pullRequestWith([{ path: "deploy/staging/settings.yaml", content: configMap.replace("fast", "slow") }]);
  return warm;
}

function validateRun(repo: RepositoryHandle, headSha: string): CheckRunState {
  const runs = t.sim.checkRuns(repo, { headSha, name: "Slipway / validate" });
  assert.equal(runs.length, 1, "one validate check run");
  assert.equal(runs[0]!.status, "completed");
  return runs[0]!;
}

/** The failure annotations as `path:line: message`. */
function failures(run: CheckRunState): string[] {
  return run.annotations.filter((a) => a.annotation_level === "failure").map((a) => `${a.path}:${a.start_line}: ${a.message}`);
}

async function expectFailure(entries: Entry[], expected: RegExp, options: { config?: string } = {}): Promise<CheckRunState> {
  const { repo, opened } = await pullRequestWith(entries, options);
  const run = validateRun(repo, opened.headSha);
  assert.equal(run.conclusion, "failure");
  const found = failures(run);
  assert.ok(
    found.some((line) => expected.test(line)),
    `expected ${expected} among:\n${found.join("\n")}\n${run.output.summary}`,
  );
  t.sim.assertNoViolations();
  return run;
}

test("a YAML alias bomb stops at the alias expansion bound", { timeout: 60_000 }, async () => {
  const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i < 9; i++) {
    const previous = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
  }
  const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\nextra:\n${levels.map((line) => `  ${line}`).join("\n")}\n`;
  await expectFailure(
    [{ path: "deploy/staging/bomb.yaml", content: bomb }],
    /^deploy\/staging\/bomb\.yaml:\d+: YAML aliases expand to more than \d+ nodes \(alias bomb\?\)$/,
  );
});

test(
  "a CRD pattern that backtracks catastrophically: webhooks are answered at once, and the value fails the pattern at its line",
  { timeout: 120_000 },
  async () => {
    // JavaScript's engine needs about 2.5 s for these 27 characters (four times more per two more),
    // all of it on the event loop; the pattern runs on RE2 instead, in a worker thread.
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets, singular: widget, listKind: WidgetList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                name: { type: string, pattern: "^(a+)+$" }
`;
    const widget = `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: evil\nspec:\n  name: "${"a".repeat(26)}!"\n`;
    await warmUp();
    const { repo, opened } = await openPullRequestWith([
      { path: "deploy/staging/crd.yaml", content: crd },
      { path: "deploy/staging/widget.yaml", content: widget },
    ]);
    const latencies = await ackLatencies(t.settle());
    const slowest = Math.max(...latencies);
    console.log(`ReDoS pull request: ${latencies.length} webhooks meanwhile, slowest acknowledged in ${Math.round(slowest)} ms`);
    assert.ok(slowest < 1_000, slowest === Infinity ? "a webhook was not acknowledged" : `a webhook waited ${Math.round(slowest)} ms`);

    const run = validateRun(repo, opened.headSha);
    assert.equal(run.conclusion, "failure");
    assert.deepEqual(failures(run), ['deploy/staging/widget.yaml:6: spec.name: must match pattern "^(a+)+$"']);
    t.sim.assertNoViolations();
  },
);

test("alias amplification under the node bound: webhooks are answered at once, and the file fails at the alias bound", { timeout: 120_000 }, async () => {
  // 390 bytes that expanded to 10 MB of YAML, 760,000 lines of diff: few nodes, each a long string.
  const rows = [`a: &a [${Array(9).fill("xxxxxxxxxxxxxx").join(",")}]`];
  for (let i = 1; i < 6; i++)
    rows.push(
      `${"abcdef"[i]}: &${"abcdef"[i]} [${Array(9)
        .fill(`*${"abcdef"[i - 1]}`)
        .join(",")}]`,
    );
  const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${rows.map((row) => `  ${row}`).join("\n")}\n`;
  assert.ok(bomb.length < 410);
  await warmUp();
  const { repo, opened } = await openPullRequestWith([{ path: "deploy/staging/bomb.yaml", content: bomb }]);
  const latencies = await ackLatencies(t.settle());
  const slowest = Math.max(...latencies);
  console.log(`Alias amplification pull request: ${latencies.length} webhooks meanwhile, slowest acknowledged in ${Math.round(slowest)} ms`);
  assert.ok(slowest < 1_000, slowest === Infinity ? "a webhook was not acknowledged" : `a webhook waited ${Math.round(slowest)} ms`);

  const run = validateRun(repo, opened.headSha);
  assert.equal(run.conclusion, "failure");
  assert.deepEqual(failures(run), ["deploy/staging/bomb.yaml:10: YAML aliases expand to more than 1048576 characters (alias bomb?)"]);
  assertGolden("app/alias-amplification-check.md", `# ${run.output.title}\n\n${run.output.summary}\n\n${run.output.text ?? ""}\n`);
  const failed = (await listJobs(t.app.db, {})).filter((job) => job.status === "failed" && job.payload.repo === repo.name);
  assert.deepEqual(
    failed.map((job) => `${job.kind} ${job.lastError}`),
    [],
    "the job itself ends well",
  );
  t.sim.assertNoViolations();
});

test("nesting 5,000 deep stops at validation.limits.maxDepth", { timeout: 60_000 }, async () => {
  const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: ${"[".repeat(5_000)}${"]".repeat(5_000)}\n`;
  await expectFailure(
    [{ path: "deploy/staging/deep.yaml", content: deep }],
    /^deploy\/staging\/deep\.yaml:\d+: nesting deeper than 64 levels \(validation\.limits\.maxDepth\)$/,
  );
});

test("a 50 MB manifest is refused by its size in the tree listing, before it is downloaded", { timeout: 120_000 }, async () => {
  // Committed on the base branch: the pull request changes another file of the environment, so the
  // check meets the big file in the tree (a 50 MB diff is a different matter: GitHub omits its patch).
  const line = "  key-000000: 0123456789abcdef0123456789abcdef\n";
  const lines = Math.ceil((50 * 1024 * 1024) / line.length);
  const big = Buffer.alloc(lines * line.length + 60);
  let offset = big.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n");
  for (let i = 0; i < lines; i++) offset += big.write(line.replace("000000", String(i).padStart(6, "0")), offset);
  const content = big.subarray(0, offset);
  assert.ok(content.length >= 50 * 1024 * 1024);

  const repo = await t.sim.createRepository({ name: "hostile-big", files: { ".github/slipway.yml": config(), "deploy/staging/settings.yaml": configMap } });
  await commitRaw(repo, repo.defaultBranch, [{ path: "deploy/staging/big.yaml", content }]);
  const blobRequestsBefore = t.sim.requests.filter((r) => r.path.includes("/git/blobs/")).length;
  const rss = sampleRss();
  const opened = await t.sim.openPullRequest({
    repo,
    head: "tweak",
    author: "octocat",
    files: { "deploy/staging/settings.yaml": configMap.replace("fast", "slow") },
  });
  await t.settle();
  const peak = rss.stop();
  const run = validateRun(repo, opened.headSha);
  assert.equal(run.conclusion, "failure");
  assert.deepEqual(
    failures(run).filter((f) => f.includes("big.yaml")),
    ["deploy/staging/big.yaml:1: file is larger than 5242880 bytes (validation.limits.maxFileBytes)"],
  );
  const blobRequests = t.sim.requests.filter((r) => r.path.includes("/git/blobs/")).length - blobRequestsBefore;
  assert.ok(
    t.sim.requests.slice(-200).every((r) => !r.path.includes("big.yaml")),
    "nothing asks for big.yaml by name",
  );
  assert.ok(blobRequests <= 2, `only settings.yaml is downloaded (head, and base for the plan), never the 50 MB blob; saw ${blobRequests}`);
  console.log(`50 MB manifest: peak RSS ${mb(peak.peak)} (baseline ${mb(peak.baseline)}, +${mb(peak.peak - peak.baseline)}) while the App checked it`);
  t.sim.assertNoViolations();
});

test("10,000 documents in one file stop at validation.limits.maxDocumentsPerFile", { timeout: 60_000 }, async () => {
  const many = Array.from({ length: 10_000 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`).join("---\n");
  await expectFailure(
    [{ path: "deploy/staging/many.yaml", content: many }],
    /^deploy\/staging\/many\.yaml:\d+: more than 1000 YAML documents in one file \(validation\.limits\.maxDocumentsPerFile\)$/,
  );
});

test("a duplicate key is named at its line", { timeout: 60_000 }, async () => {
  const duplicate = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: twice\ndata:\n  mode: fast\n  mode: slow\n";
  await expectFailure([{ path: "deploy/staging/twice.yaml", content: duplicate }], /^deploy\/staging\/twice\.yaml:7: duplicate key "mode"$/);
});

test("invalid UTF-8 is named at its line and byte", { timeout: 60_000 }, async () => {
  const prefix = Buffer.from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  x: ");
  const bytes = Buffer.concat([prefix, Buffer.from([0xc3, 0x28, 0xff]), Buffer.from("\n")]);
  await expectFailure(
    [{ path: "deploy/staging/bad.yaml", content: bytes }],
    new RegExp(`^deploy/staging/bad\\.yaml:6: invalid UTF-8 at byte ${prefix.length}$`),
  );
});

test("a symlink leaving the repository is refused, and its target never read", { timeout: 60_000 }, async () => {
  const run = await expectFailure(
    [{ path: "deploy/staging/passwd.yaml", content: "../../../../etc/passwd", mode: "120000" }],
    /^deploy\/staging\/passwd\.yaml:1: symlink points outside the repository \(\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd\)$/,
  );
  assert.doesNotMatch(`${run.output.summary}\n${run.output.text ?? ""}`, /root:/);
});

test("a ../ path in environments[].path is refused", { timeout: 60_000 }, async () => {
  const { repo, opened } = await pullRequestWith([], { config: config("../other-repo/deploy") });
  const run = validateRun(repo, opened.headSha);
  assert.equal(run.conclusion, "failure");
  const found = failures(run);
  assert.ok(
    found.some(
      (line) =>
        /^\.github\/slipway\.yml:\d+: .*path/.test(line) ||
        /^\.\.\/other-repo\/deploy:\d+: the environment path must be relative to the repository and stay inside it$/.test(line),
    ),
    found.join("\n"),
  );
  t.sim.assertNoViolations();
});

test("a .github/slipway.yml that is not YAML, or a list, fails the check at its line", { timeout: 60_000 }, async () => {
  for (const [broken, expected] of [
    ["environments: [staging\n  name: {{ oops\n", /^\.github\/slipway\.yml:\d+: /],
    ["- staging\n- production\n", /^\.github\/slipway\.yml:1: /],
    ["\u0000\u0001binary", /^\.github\/slipway\.yml:\d+: /],
  ] as const) {
    const { repo, opened } = await pullRequestWith([], { config: broken });
    const run = validateRun(repo, opened.headSha);
    assert.equal(run.conclusion, "failure");
    assert.ok(
      failures(run).some((line) => expected.test(line)),
      `${JSON.stringify(broken)}: ${failures(run).join("; ")}`,
    );
  }
  t.sim.assertNoViolations();
});

test("webhooks: an oversized body gets 413, bad and missing signatures 401, an unknown event 202 with nothing queued", { timeout: 60_000 }, async () => {
  const jobsBefore = (await listJobs(t.app.db, {})).length;
  const oversized = await fetch(t.webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": "huge", "x-hub-signature-256": "sha256=00" },
    body: JSON.stringify({ padding: "x".repeat(26 * 1024 * 1024) }),
  });
  assert.equal(oversized.status, 413);

  const repo = await t.sim.createRepository({ name: "webhooks", files: { ".github/slipway.yml": config() } });
  const opened = await t.sim.openPullRequest({ repo, head: "x", author: "octocat", files: { "a.txt": "a\n" } });
  await t.settle();
  const jobsAfterOpen = (await listJobs(t.app.db, {})).length;
  assert.equal(jobsAfterOpen, jobsBefore + 1);
  for (const signature of ["missing", "invalid"] as const) {
    const delivery = await t.sim.sendWebhook({ event: "pull_request", payload: opened.delivery.payload, signature });
    assert.equal(delivery.status, 401, signature);
  }
  const unknown = await t.sim.sendWebhook({
    event: "slipway_unheard_of",
    payload: { action: "exploded", installation: { id: t.sim.installationId } },
    validate: false,
  });
  assert.equal(unknown.status, 202);
  await t.settle();
  assert.equal((await listJobs(t.app.db, {})).length, jobsAfterOpen, "nothing queued");
  t.sim.assertNoViolations();
});

test("a 1 MB comment is answered 202 and ignored cleanly", { timeout: 60_000 }, async () => {
  const repo = await t.sim.createRepository({ name: "chatty", files: { ".github/slipway.yml": config(), "deploy/staging/settings.yaml": configMap } });
  const opened = await t.sim.openPullRequest({ repo, head: "x", author: "octocat", files: { "a.txt": "a\n" } });
  await t.settle();
  for (const body of ["/".repeat(1024 * 1024), `/plan ${"x".repeat(1024 * 1024)}`, "lorem ipsum ".repeat(90_000)]) {
    const { delivery } = await t.sim.comment({ repo, issueNumber: opened.number, author: "octocat", body });
    assert.equal(delivery.status, 202);
  }
  await t.settle();
  const failed = (await listJobs(t.app.db, {})).filter((job) => job.status === "failed" && job.payload.repo === repo.name);
  assert.deepEqual(
    failed.map((job) => `${job.kind} ${job.lastError}`),
    [],
  );
  const replies = t.sim.comments(repo, opened.number).filter((comment) => comment.viaApp);
  assert.ok(
    replies.every((reply) => reply.body.length < 65_536),
    "no reply echoes the megabyte back",
  );
  t.sim.assertNoViolations();
});

test("after all of that, a normal pull request on another repository still gets its check", { timeout: 60_000 }, async () => {
  const repo = await t.sim.createRepository({ name: "normal", files: { ".github/slipway.yml": config(), "deploy/staging/settings.yaml": configMap } });
  const opened = await t.sim.openPullRequest({
    repo,
    head: "y",
    author: "octocat",
    files: { "deploy/staging/settings.yaml": configMap.replace("fast", "slow") },
  });
  await t.settle();
  const run = validateRun(repo, opened.headSha);
  assert.equal(run.conclusion, "success");
  assert.equal((await fetch(`${t.app.url}/healthz`)).status, 200);
  t.sim.assertNoViolations();
});

function sampleRss(): { stop(): { baseline: number; peak: number } } {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return { baseline, peak: Math.max(peak, process.memoryUsage.rss()) };
    },
  };
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
