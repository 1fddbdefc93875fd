import assert from "node:assert/strict";
import { test } from "node:test";
import { authorizeCommand } from "../../../src/core/commands/authorize-command.js";
import type { RepositoryPermission } from "../../../src/core/commands/repository-permission.js";
import type { CommandConfig } from "../../../src/core/commands/required-permission.js";
import type { SlipwayCommand } from "../../../src/core/commands/slipway-command.js";
import { parseRepoConfig } from "../../../src/config/parse-repo-config.js";

const permissions: RepositoryPermission[] = ["none", "read", "triage", "write", "maintain", "admin"];
const environments = [{ name: "staging" }, { name: "production", protected: true }];
const defaults: CommandConfig = { environments };

function commandFor(type: SlipwayCommand["type"], environment: string | undefined): SlipwayCommand {
  return type === "help" ? { type } : environment === undefined ? { type } : { type, environment };
}

/** Who may run what under the defaults, written out rather than computed: [command, environment, least permission]. */
const defaultMatrix: Array<[SlipwayCommand["type"], string | undefined, RepositoryPermission]> = [
  ["help", undefined, "none"],
  ["plan", undefined, "write"],
  ["plan", "staging", "write"],
  ["plan", "production", "write"],
  ["lock", "staging", "write"],
  ["lock", "production", "write"],
  ["unlock", "staging", "write"],
  ["unlock", "production", "write"],
  ["rollback", "staging", "write"],
  ["rollback", "production", "maintain"],
  // No environment named yet: the strictest environment counts.
  ["rollback", undefined, "maintain"],
  ["deploy", "staging", "maintain"],
  ["deploy", "production", "maintain"],
];

for (const [type, environment, least] of defaultMatrix) {
  for (const permission of permissions) {
    const allowed = permissions.indexOf(permission) >= permissions.indexOf(least);
    test(`defaults: ${permission} ${allowed ? "may" : "may not"} run /${type}${environment ? ` on ${environment}` : ""}`, () => {
      const result = authorizeCommand({ command: commandFor(type, environment), permission, config: defaults, login: "mona" });
      if (allowed) {
        assert.deepEqual(result, { ok: true });
      } else {
        assert.equal(result.ok, false);
        if (result.ok) return;
        assert.equal(result.required, least);
        assert.equal(result.permission, permission);
        assert.match(result.message, new RegExp(`needs the ${least} permission`));
        assert.doesNotMatch(result.message, /@/);
      }
    });
  }
}

/** Repository overrides: [commands config, command, environment, least permission]. */
const overrideMatrix: Array<[CommandConfig["commands"], SlipwayCommand["type"], string | undefined, RepositoryPermission]> = [
  [{ plan: "read" }, "plan", "production", "read"],
  [{ plan: "triage" }, "plan", undefined, "triage"],
  [{ lock: "maintain", unlock: "admin" }, "lock", "staging", "maintain"],
  [{ lock: "maintain", unlock: "admin" }, "unlock", "staging", "admin"],
  [{ lock: "maintain", unlock: "admin" }, "plan", "staging", "write"],
  // A looser rollback still needs maintain on a protected environment.
  [{ rollback: "read" }, "rollback", "staging", "read"],
  [{ rollback: "triage" }, "rollback", "production", "maintain"],
  // A stricter one applies everywhere.
  [{ rollback: "admin" }, "rollback", "staging", "admin"],
  [{ rollback: "admin" }, "rollback", "production", "admin"],
  [{ rollback: "maintain" }, "rollback", "staging", "maintain"],
  [{ plan: "admin" }, "help", undefined, "none"],
  // /deploy overrides review: a config may raise it, not lower it below maintain.
  [{ deploy: "write" }, "deploy", "staging", "maintain"],
  [{ deploy: "admin" }, "deploy", "staging", "admin"],
];

for (const [commands, type, environment, least] of overrideMatrix) {
  for (const permission of permissions) {
    const allowed = permissions.indexOf(permission) >= permissions.indexOf(least);
    test(`override ${JSON.stringify(commands)}: ${permission} ${allowed ? "may" : "may not"} run /${type}${environment ? ` on ${environment}` : ""}`, () => {
      const result = authorizeCommand({ command: commandFor(type, environment), permission, config: { commands, environments } });
      assert.equal(result.ok, allowed);
      if (!result.ok) assert.equal(result.required, least);
    });
  }
}

test("no protected environment: /rollback without one needs only the configured level", () => {
  const config: CommandConfig = { environments: [{ name: "staging" }, { name: "dev", protected: false }] };
  assert.deepEqual(authorizeCommand({ command: { type: "rollback" }, permission: "write", config }), { ok: true });
});

test("the environment passed in wins over the one the command names", () => {
  // The caller resolved `/rollback` (no environment) to production.
  const result = authorizeCommand({ command: { type: "rollback" }, permission: "write", config: defaults, environment: "production" });
  assert.equal(result.ok, false);
  const resolved = authorizeCommand({ command: { type: "rollback" }, permission: "write", config: defaults, environment: "staging" });
  assert.deepEqual(resolved, { ok: true });
});

test("an environment the config does not know is treated as the strictest", () => {
  const result = authorizeCommand({ command: { type: "rollback", environment: "qa" }, permission: "write", config: defaults });
  assert.equal(result.ok, false);
});

test("a permission outside GitHub's list grants nothing", () => {
  const result = authorizeCommand({ command: { type: "plan" }, permission: "custom-role" as RepositoryPermission, config: defaults });
  assert.equal(result.ok, false);
});

test("refusals are sentences for people, naming the login without @", () => {
  const refuse = (command: SlipwayCommand, permission: RepositoryPermission, login?: string, config: CommandConfig = defaults) => {
    const result = authorizeCommand({ command, permission, config, ...(login === undefined ? {} : { login }) });
    assert.equal(result.ok, false);
    return result.ok ? "" : result.message;
  };
  assert.equal(
    refuse({ type: "rollback", environment: "production" }, "write", "mona"),
    "`/rollback` on `production` needs the maintain permission or higher, because `production` is a protected environment; mona has write.",
  );
  assert.equal(
    refuse({ type: "rollback" }, "triage", "mona"),
    "`/rollback` needs the maintain permission or higher, because `production` is a protected environment; mona has triage.",
  );
  assert.equal(
    refuse({ type: "plan", environment: "staging" }, "read", "octo-cat"),
    "`/plan` on `staging` needs the write permission or higher; octo-cat has read.",
  );
  assert.equal(refuse({ type: "lock" }, "none"), "`/lock` needs the write permission or higher; you have no access to this repository.");
  assert.equal(
    refuse({ type: "unlock" }, "maintain", "mona", { commands: { unlock: "admin" }, environments }),
    "`/unlock` needs the admin permission; mona has maintain.",
  );
  assert.equal(refuse({ type: "plan" }, "read", "@evil`x"), "`/plan` needs the write permission or higher; ``@\u200bevil`x`` has read.");
});

test("a full repository config (with its defaults) is accepted as is", () => {
  const parsed = parseRepoConfig(
    [
      "environments:",
      "  - { name: staging, path: deploy/staging, cluster: main }",
      "  - { name: production, path: deploy/production, cluster: main, protected: true }",
      "commands:",
      "  plan: triage",
    ].join("\n"),
    ".github/slipway.yml",
  );
  assert.equal(parsed.ok, true, JSON.stringify(parsed));
  if (!parsed.ok) return;
  const config = parsed.config;
  assert.deepEqual(authorizeCommand({ command: { type: "plan" }, permission: "triage", config }), { ok: true });
  assert.equal(authorizeCommand({ command: { type: "lock" }, permission: "triage", config }).ok, false);
  assert.equal(authorizeCommand({ command: { type: "rollback", environment: "production" }, permission: "write", config }).ok, false);
  assert.deepEqual(authorizeCommand({ command: { type: "rollback", environment: "staging" }, permission: "write", config }), { ok: true });
});
