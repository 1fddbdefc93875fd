import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import yaml from "js-yaml";

const repoRoot = resolve(import.meta.dirname, "../..");
const entry = join(repoRoot, "src/index.ts");

function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts the real entry point in a folder of its own with exactly the given environment. */
function startSlipwayProcess(env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), entry], {
    cwd,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "development", NO_SMEE_SETUP: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolveExit) => child.on("exit", (code) => resolveExit(code)));
  return { child, exited, output: () => output };
}

async function waitForHttp(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(url, { redirect: "manual" });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

test("without credentials the server offers the registration flow from app.yml, and the probes answer", async (t) => {
  // The setup flow reads app.yml and package.json from the working directory, as `npm start` runs it.
  const cwd = repoRoot;
  const port = await freePort();
  const app = startSlipwayProcess({ PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: "memory:" }, cwd);
  t.after(() => app.child.kill("SIGKILL"));
  const base = `http://127.0.0.1:${port}`;

  const health = await waitForHttp(`${base}/healthz`, 20_000);
  assert.equal(health.status, 200);
  const ready = await fetch(`${base}/readyz`);
  assert.equal(ready.status, 503);
  assert.match(((await ready.json()) as { reasons: string[] }).reasons[0]!, /not registered/);

  const root = await fetch(`${base}/`, { redirect: "manual" });
  assert.equal(root.status, 302);
  assert.equal(root.headers.get("location"), "/probot");

  const page = await (await fetch(`${base}/probot`)).text();
  assert.match(page, /Register GitHub App/);
  // The manifest posted to GitHub carries app.yml's events and permissions.
  const manifestJson = /name="manifest"[^>]*value='([^']*)'|value="([^"]*)"[^>]*name="manifest"/.exec(page);
  assert.ok(manifestJson, "the page carries the App manifest");
  const manifest = JSON.parse((manifestJson[1] ?? manifestJson[2]!).replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&"));
  const appYml = yaml.load(readFileSync(join(repoRoot, "app.yml"), "utf8")) as { default_events: string[]; default_permissions: Record<string, string> };
  assert.deepEqual(manifest.default_events, appYml.default_events);
  assert.deepEqual(manifest.default_permissions, appYml.default_permissions);
});

test("a partial configuration stops the start with sentences that say what to fix", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "slipway-start-"));
  const app = startSlipwayProcess({ APP_ID: "12", WEBHOOK_SECRET: "x" }, cwd);
  const code = await app.exited;
  assert.equal(code, 1);
  assert.match(app.output(), /Slipway cannot start/);
  assert.match(app.output(), /PRIVATE_KEY or PRIVATE_KEY_PATH is missing/);
});

test("a clusters file that leaves an alias's namespaces out stops the start with what to add", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "slipway-start-"));
  // Before, no namespaces meant any namespace; a file written then must not silently keep that.
  writeFileSync(join(cwd, "clusters.yaml"), 'clusters:\n  production:\n    kubeconfig: ./production.kubeconfig\n    repositories: ["acme/*"]\n');
  const app = startSlipwayProcess({ CLUSTERS_FILE: "clusters.yaml", DATABASE_URL: "memory:" }, cwd);
  const code = await app.exited;
  assert.equal(code, 1);
  assert.equal(
    app.output().trim(),
    [
      "Slipway cannot start. Fix the clusters file:",
      '  - clusters.yaml: cluster "production" has no namespaces: add `namespaces: ["web"]` with the namespaces repositories may deploy to there (`["*"]` for any), and `clusterResources: ["Namespace"]` if they may create Namespaces.',
    ].join("\n"),
  );
});
