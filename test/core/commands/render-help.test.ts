import assert from "node:assert/strict";
import { injectedElements, renderMarkdown } from "../../support/render-markdown.js";
import { test } from "node:test";
import { renderHelp } from "../../../src/core/commands/render-help.js";
import type { CommandConfig } from "../../../src/core/commands/required-permission.js";
import { assertGolden } from "../../support/golden.js";

const config: CommandConfig = { environments: [{ name: "staging" }, { name: "production", protected: true }] };
const earlierSha = "8c0d4e2f00112233445566778899aabbccddeeff";

test("help: defaults, with a pin and a lock", () => {
  const help = renderHelp({
    config,
    statuses: [
      { environment: "production", pinnedSha: earlierSha, pinnedBy: "mona", lockedBy: "#12" },
      { environment: "unknown-to-the-config", lockedBy: "#13" },
    ],
  });
  assertGolden("commands/help-defaults.md", help);
});

test("help: repository overrides and no statuses", () => {
  const help = renderHelp({
    config: {
      commands: { plan: "read", rollback: "admin", lock: "maintain", unlock: "maintain" },
      environments: [{ name: "dev" }, { name: "staging", protected: true }, { name: "production", protected: true }],
    },
  });
  assertGolden("commands/help-overrides.md", help);
  assert.doesNotMatch(help, /protected environments/, "admin for /rollback already covers protected environments");
});

test("help: user-supplied pin and lock data cannot mention anyone or break the table", () => {
  const help = renderHelp({
    config,
    statuses: [{ environment: "staging", pinnedSha: "not|a`sha", pinnedBy: "@team|x", lockedBy: "@mona`" }],
  });
  assertGolden("commands/help-hostile.md", help);
  assert.doesNotMatch(help, /@[A-Za-z]/);
  const row = help.split("\n").find((line) => line.startsWith("| `staging`")) ?? "";
  assert.equal(row.split(/(?<!\\)\|/).length - 2, 4, "four cells");
  // As GitHub renders it: every row of the environments table has its four cells, nothing injected.
  const html = renderMarkdown(help);
  const tables = html.split("<table>").slice(1);
  assert.equal(tables.length, 2);
  for (const row of tables[1].split("<tr>").slice(2)) assert.equal(row.match(/<td>/g)?.length, 4, row);
  assert.deepEqual(
    injectedElements(html).filter((e) => e !== "<table>" && !e.startsWith("<h")),
    [],
  );
});
