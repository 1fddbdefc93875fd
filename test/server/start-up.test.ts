import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { parseEnv } from "node:util";
import { join, resolve } from "node:path";
import yaml from "js-yaml";
import { readServerConfig } from "../../src/config/read-server-config.js";
import { startGitHubSimulator } from "../support/github-simulator/index.js";

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

/** The registration address Slipway printed, and the one-time token in it. */
async function registrationAddress(app: ReturnType<typeof startSlipwayProcess>): Promise<{ token: string; address: string; port: number }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    for (const line of app.output().split("\n")) {
      if (!line.includes("token=")) continue;
      const entry = JSON.parse(line) as { msg: string; address: string; port: number };
      return { token: /token=([A-Za-z0-9_-]+)/.exec(entry.msg)![1]!, address: entry.address, port: entry.port };
    }
    if (Date.now() > deadline) throw new Error(`no registration address in the log:\n${app.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function manifestOf(page: string): {
  redirect_url: string;
  hook_attributes: { url: string };
  default_events: string[];
  default_permissions: Record<string, string>;
} {
  const value = /name="manifest" value="([^"]*)"/.exec(page);
  assert.ok(value, "the page carries the App manifest");
  return JSON.parse(
    value[1]!
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&"),
  );
}

/** An IPv4 address of this machine that is not loopback, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === "IPv4" && !entry.internal)?.address;
}

test("without credentials the server offers a closed registration flow: loopback only, a one-time token, no import", async (t) => {
  // A folder of its own: app.yml comes from the package, and nothing may land in the repository.
  const cwd = mkdtempSync(join(tmpdir(), "slipway-setup-"));
  const port = await freePort();
  const app = startSlipwayProcess({ PORT: String(port), DATABASE_URL: "memory:" }, cwd);
  t.after(() => app.child.kill("SIGKILL"));
  const base = `http://127.0.0.1:${port}`;

  const health = await waitForHttp(`${base}/healthz`, 20_000);
  assert.equal(health.status, 200);
  const ready = await fetch(`${base}/readyz`);
  assert.equal(ready.status, 503);
  assert.match(((await ready.json()) as { reasons: string[] }).reasons[0]!, /not registered/);

  // Without HOST it binds the loopback interface only.
  const { token, address } = await registrationAddress(app);
  assert.equal(address, "127.0.0.1");
  assert.match(app.output(), new RegExp(`open http://localhost:${port}/\\?token=${token} to register`));
  const external = externalAddress();
  if (external) {
    await assert.rejects(fetch(`http://${external}:${port}/healthz`), "the setup server is not reachable from the network");
  }

  // Every page needs the token; a wrong one is refused like none.
  for (const path of ["/", "/?token=", `/?token=${token.slice(0, -1)}x`, "/setup/callback?code=abc", `/setup/callback?code=abc&state=${token}x`]) {
    assert.equal((await fetch(`${base}${path}`, { redirect: "manual" })).status, 403, path);
  }
  // Probot's credential import is not there at all.
  const imported = await fetch(`${base}/probot/import`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ appId: "1", pem: "x", webhook_secret: "attacker" }),
  });
  assert.equal(imported.status, 404);
  assert.equal((await fetch(`${base}/probot/import`)).status, 404);
  assert.equal((await fetch(`${base}/probot`)).status, 404);
  assert.ok(!existsSync(join(cwd, ".env")), "nothing was written");

  const page = await (await fetch(`${base}/?token=${token}`)).text();
  assert.match(page, /Register GitHub App/);
  assert.match(page, new RegExp(`action="https://github.com/settings/apps/new\\?state=${token}"`));
  // The manifest posted to GitHub carries app.yml's events and permissions.
  const manifest = manifestOf(page);
  const appYml = yaml.load(readFileSync(join(repoRoot, "app.yml"), "utf8")) as { default_events: string[]; default_permissions: Record<string, string> };
  assert.deepEqual(manifest.default_events, appYml.default_events);
  assert.deepEqual(manifest.default_permissions, appYml.default_permissions);
  assert.equal(manifest.hook_attributes.url, `${base}/api/github/webhooks`);
  assert.equal(manifest.redirect_url, `${base}/setup/callback`);
});

test("registration writes the credentials into .env readable by its owner only, then closes the setup pages and asks for a restart", async (t) => {
  const sim = await startGitHubSimulator();
  t.after(() => sim.close());
  const cwd = mkdtempSync(join(tmpdir(), "slipway-setup-"));
  // An .env that exists already, readable by everyone: its other settings stay, its mode does not.
  writeFileSync(join(cwd, ".env"), "# mine\nLOG_LEVEL=info\n", { mode: 0o644 });
  chmodSync(join(cwd, ".env"), 0o644);
  const port = await freePort();
  const app = startSlipwayProcess({ PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: "memory:", GITHUB_API_URL: sim.url }, cwd);
  t.after(() => app.child.kill("SIGKILL"));
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`, 20_000);
  const { token } = await registrationAddress(app);

  const page = await (await fetch(`${base}/?token=${token}`)).text();
  const { redirect_url: redirectUrl } = manifestOf(page);
  // GitHub sends the browser back with a code; the state must be the token.
  const forged = sim.completeManifestFlow({ redirectUrl, state: "guessed" });
  assert.equal((await fetch(forged, { redirect: "manual" })).status, 403);
  assert.equal(readFileSync(join(cwd, ".env"), "utf8"), "# mine\nLOG_LEVEL=info\n");

  const back = sim.completeManifestFlow({ redirectUrl, state: token });
  const done = await fetch(back, { redirect: "manual" });
  assert.equal(done.status, 302);
  assert.equal(done.headers.get("location"), `https://github.com/apps/${sim.appSlug}/installations/new`);

  const envFile = join(cwd, ".env");
  assert.equal(statSync(envFile).mode & 0o777, 0o600);
  const written = parseEnv(readFileSync(envFile, "utf8"));
  assert.equal(written.LOG_LEVEL, "info");
  assert.equal(written.APP_ID, String(sim.appId));
  assert.equal(written.WEBHOOK_SECRET, sim.webhookSecret);
  const config = readServerConfig({ ...written, DATABASE_URL: "memory:" });
  assert.ok(config.ok, JSON.stringify(config));
  assert.equal(config.config.mode, "run");
  assert.equal(config.config.credentials?.privateKey.trim(), sim.privateKey.trim());

  // Closed until a restart, token or not.
  for (const path of [`/?token=${token}`, "/", `/setup/callback?code=abc&state=${token}`]) {
    assert.equal((await fetch(`${base}${path}`, { redirect: "manual" })).status, 404, path);
  }
  assert.match(app.output(), /The App is registered[^"]*restart Slipway/);
  const ready = await fetch(`${base}/readyz`);
  assert.match(((await ready.json()) as { reasons: string[] }).reasons[0]!, /restart/);
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
