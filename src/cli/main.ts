#!/usr/bin/env node
import { bundledSchemaRoot } from "../schemas/bundled-schema-root.js";
import type { CommandIo } from "./command-io.js";
import { runPlanCommand } from "./plan-command.js";
import { runValidateCommand } from "./validate-command.js";

const commands: Record<string, (argv: string[], io: CommandIo) => Promise<number>> = {
  validate: runValidateCommand,
  plan: runPlanCommand,
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
  };
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout)(`${usage}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    io.stderr(`slipway: unknown command ${name}\n\n${usage}\n`);
    return 2;
  }
  return command(rest, io);
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
