#!/usr/bin/env node
// The whole test suite: start the test cluster once (global set-up), run every test file with
// Node's test runner, stop the cluster. `npm test -- test/some.test.ts` runs a subset.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const requested = process.argv.slice(2);
const files = requested.length > 0 ? requested : findTests("test");
if (files.length === 0) {
  console.error("No test files found under test/.");
  process.exit(1);
}

// A control plane that fails to come up once (a busy machine, a port taken between probe and
// bind) gets one clean second try before the run gives up.
let up = clusterUp();
if (up.status !== 0) {
  console.error("The test cluster did not start; stopping what started and trying once more.");
  spawnSync("bash", ["scripts/test-cluster.sh", "down"], { stdio: "inherit" });
  up = clusterUp();
}
if (up.status !== 0) {
  console.error("The test cluster did not start (see above); the tests need it and are not run.");
  process.exit(1);
}
const kubeconfig = up.stdout.trim().split("\n").at(-1);
process.stdout.write(up.stdout);

let exitCode = 1;
try {
  exitCode = await run(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...files], {
    ...process.env,
    SLIPWAY_TEST_KUBECONFIG: kubeconfig,
  });
} finally {
  if (process.env.SLIPWAY_KEEP_CLUSTER !== "1") spawnSync("bash", ["scripts/test-cluster.sh", "down"], { stdio: "inherit" });
}
process.exit(exitCode);

function clusterUp() {
  return spawnSync("bash", ["scripts/test-cluster.sh", "up"], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
}

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "fixtures" && name !== "golden" && name !== "support") found.push(...findTests(path));
    } else if (name.endsWith(".test.ts")) {
      found.push(path);
    }
  }
  return found;
}

function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
