import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertGolden } from "../support/golden.js";
import { startTestApp, type TestApp } from "../support/start-test-app.js";

// What a repository may ask Slipway to read is bounded by the server, not by the repository, and
// a job reads each blob once however many environments share it.

let t: TestApp;
before(async () => {
  t = await startTestApp({ env: { MAX_FILE_BYTES: "2000", MAX_FILES: "50" } });
});
after(async () => {
  await t?.close();
});

const configMap = (name: string, value = "1") => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

test("a repository cannot raise its limits past the server's maximums; the validate check says the server caps them", async () => {
  const config = `environments:
  - name: staging
    path: deploy/staging
    cluster: staging
validation:
  limits:
    maxFileBytes: 104857600
    maxFiles: 100000
    maxDepth: 32
`;
  const big = `${configMap("big")}  padding: "${"x".repeat(3_000)}"\n`;
  const repo = await t.sim.createRepository({
    name: "raised-limits",
    files: { ".github/slipway.yml": config, "deploy/staging/settings.yaml": configMap("settings"), "deploy/staging/big.yaml": big },
  });
  const opened = await t.sim.openPullRequest({ repo, head: "tweak", author: "octocat", files: { "deploy/staging/settings.yaml": configMap("settings", "2") } });
  await t.settle();

  const [run] = t.sim.checkRuns(repo, { headSha: opened.headSha, name: "Slipway / validate" });
  assert.equal(run?.conclusion, "failure");
  const annotations = run!.annotations.map((a) => `${a.annotation_level} ${a.path}:${a.start_line}: ${a.message}`);
  assert.deepEqual(annotations.sort(), [
    "failure deploy/staging/big.yaml:1: file is larger than 2000 bytes (validation.limits.maxFileBytes)",
    "warning .github/slipway.yml:7: validation.limits.maxFileBytes is 104857600, but this Slipway server caps it at 2000; 2000 applies",
    "warning .github/slipway.yml:8: validation.limits.maxFiles is 100000, but this Slipway server caps it at 50; 50 applies",
  ]);
  assertGolden("app/validate-capped-limits.md", `${run!.output.title}\n${run!.output.summary}\n\n${run!.output.text ?? ""}`);
  t.sim.assertNoViolations();
});

test("a job downloads each blob once, however many environments and both sides of the plan share it", async () => {
  const config = `environments:
  - name: one
    path: deploy/one
    cluster: staging
  - name: two
    path: deploy/two
    cluster: staging
  - name: three
    path: deploy/one
    cluster: staging
`;
  const shared = configMap("shared");
  const repo = await t.sim.createRepository({
    name: "shared-blobs",
    files: {
      ".github/slipway.yml": config,
      "deploy/one/shared.yaml": shared,
      "deploy/two/shared.yaml": shared,
      "deploy/one/own.yaml": configMap("own-one"),
      "deploy/two/own.yaml": configMap("own-two"),
    },
  });
  const before = t.sim.requests.length;
  const opened = await t.sim.openPullRequest({
    repo,
    head: "both",
    author: "octocat",
    files: { "deploy/one/own.yaml": configMap("own-one", "2"), "deploy/two/own.yaml": configMap("own-two", "2") },
  });
  await t.settle();
  // Validation of all three environments and the offline plans of all three (head against base) ran.
  assert.equal(t.sim.checkRuns(repo, { headSha: opened.headSha }).length, 4);

  const blobReads = new Map<string, number>();
  for (const request of t.sim.requests.slice(before)) {
    const sha = /\/git\/blobs\/([0-9a-f]{40})/.exec(request.path)?.[1];
    if (sha && request.method === "GET") blobReads.set(sha, (blobReads.get(sha) ?? 0) + 1);
  }
  // shared.yaml (one blob), own.yaml of each at head and at base: five blobs, each read once.
  assert.equal(blobReads.size, 5);
  assert.deepEqual([...blobReads.values()], [1, 1, 1, 1, 1]);
  t.sim.assertNoViolations();
});
