#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { bundledSchemaRoot } from "../schemas/bundled-schema-root.js";
import { packageRoot } from "../schemas/package-root.js";
import type { CommandIo } from "./command-io.js";

type Command = (argv: string[], io: CommandIo) => Promise<number>;

// Each command loads only what it uses: `validate` never pays for the Kubernetes client `plan` needs.
const commands: Record<string, () => Promise<Command>> = {
  validate: async () => (await import("./validate-command.js")).runValidateCommand,
  plan: async () => (await import("./plan-command.js")).runPlanCommand,
};

const usage = `Usage: slipway <command> [options]

Commands:
  validate   validate Kubernetes manifests (slipway validate --help)
  plan       plan an environment: what applying it would change (slipway plan --help)`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const io: CommandIo = {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    bundledSchemaRoot: bundledSchemaRoot(),
    cacheDir: join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "slipway"),
    slipwayVersion: readVersion(),
  };
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout)(`${usage}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined;
  if (load === undefined) {
    io.stderr(`slipway: unknown command ${name}\n\n${usage}\n`);
    return 2;
  }
  return (await load())(rest, io);
}

function readVersion(): string {
  try {
    return String((JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version?: unknown }).version ?? "unknown");
  } catch {
    return "unknown";
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`slipway: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
