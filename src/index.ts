#!/usr/bin/env node
import { existsSync, readFileSync } from "node:fs";
import { pino } from "pino";
import { dirname, resolve } from "node:path";
import { parseClustersFile, type ClusterAlias } from "./config/parse-clusters-file.js";
import { readServerConfig } from "./config/read-server-config.js";
import { startSetupServer } from "./server/start-setup-server.js";
import { startSlipway } from "./server/start-slipway.js";

// The entry point holds no logic: read the configuration, then start the server it asks for.
if (existsSync(".env")) process.loadEnvFile(".env");

const result = readServerConfig(process.env, (path) => readFileSync(path, "utf8"));
if (!result.ok) {
  console.error(`Slipway cannot start. Fix ${result.problems.length === 1 ? "this setting" : "these settings"} (in .env or the environment):`);
  for (const problem of result.problems) console.error(`  - ${problem}`);
  process.exit(1);
}
const { config } = result;
const log = pino({ level: config.logLevel, name: "slipway" });
const clusters = config.clustersFile ? readClusters(config.clustersFile) : undefined;

if (config.credentials === undefined) {
  await startSetupServer(config, log);
} else {
  const slipway = await startSlipway({ config: { ...config, credentials: config.credentials }, log, clusters });
  const stop = async (signal: string) => {
    log.info({ signal }, "Stopping: finishing the jobs in hand");
    await slipway.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

/** The clusters file, with kubeconfig paths made relative to it; a broken file stops the start. */
function readClusters(file: string): ClusterAlias[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    console.error(`Slipway cannot start: CLUSTERS_FILE points to "${file}", which cannot be read.`);
    process.exit(1);
  }
  const parsed = parseClustersFile(text, file);
  if (!parsed.ok) {
    console.error("Slipway cannot start. Fix the clusters file:");
    for (const problem of parsed.problems) console.error(`  - ${problem}`);
    process.exit(1);
  }
  return parsed.clusters.map((cluster) => ({ ...cluster, kubeconfig: resolve(dirname(file), cluster.kubeconfig) }));
}
