import assert from "node:assert/strict";
import { injectedElements, renderMarkdown } from "../../support/render-markdown.js";
import { test } from "node:test";
import { authorizeCommand } from "../../../src/core/commands/authorize-command.js";
import { parseCommentCommand } from "../../../src/core/commands/parse-comment-command.js";
import { renderCommandReply, type CommandReply } from "../../../src/core/commands/render-command-reply.js";
import type { CommandConfig } from "../../../src/core/commands/required-permission.js";
import { assertGolden } from "../../support/golden.js";

const environments = ["staging", "production"];
const config: CommandConfig = { environments: [{ name: "staging" }, { name: "production", protected: true }] };
const headSha = "3f9a2c1d4e5b6a7980112233445566778899aabb";
const earlierSha = "8c0d4e2f00112233445566778899aabbccddeeff";

/** Every reply kind, in the order a reader meets them: refusals and problems, then outcomes. */
const replies: Array<[string, CommandReply]> = [
  ["unknown-command", { kind: "unknown-command", given: "promote" }],
  ["unknown-command-suggestion", { kind: "unknown-command", given: "rolback", suggestion: "rollback" }],
  ["did-you-mean", { kind: "did-you-mean", given: "/rollbak", suggestion: "rollback" }],
  ["did-you-mean-slipway", { kind: "did-you-mean", given: "/slipwya", suggestion: "slipway" }],
  ["usage-extra", { kind: "usage", command: "lock", problem: "extra-arguments", given: "until friday", environments }],
  ["usage-missing-sha", { kind: "usage", command: "rollback", problem: "missing-sha", environments }],
  [
    "usage-sha-without-to",
    {
      kind: "usage",
      command: "rollback",
      problem: "sha-without-to",
      environments,
      suggestion: { type: "rollback", environment: "production", toSha: "3f9a2c1" },
    },
  ],
  ["unknown-environment", { kind: "unknown-environment", command: "plan", given: "prod", environments }],
  ["unknown-environment-none", { kind: "unknown-environment", command: "plan", given: "prod", environments: [] }],
  ["invalid-sha", { kind: "invalid-sha", given: "HEAD~1" }],
  [
    "refused",
    {
      kind: "refused",
      command: "rollback",
      environment: "production",
      required: "maintain",
      permission: "write",
      login: "mona",
      protectedEnvironment: "production",
    },
  ],
  ["environment-required", { kind: "environment-required", command: "rollback", environments }],
  ["plan-queued", { kind: "plan-queued", environments: ["staging", "production"], headSha }],
  ["plan-queued-fork", { kind: "plan-queued", environments: [], headSha, fromFork: true, requestedBy: "mona" }],
  ["nothing-to-plan", { kind: "nothing-to-plan", headSha }],
  ["rollback-started", { kind: "rollback-started", environment: "production", fromSha: headSha, toSha: earlierSha }],
  ["nothing-to-roll-back", { kind: "nothing-to-roll-back", environment: "staging" }],
  ["deploy-queued", { kind: "deploy-queued", environment: "production", sha: headSha, branch: "main", requestedBy: "octocat" }],
  [
    "not-a-deployed-commit",
    {
      kind: "not-a-deployed-commit",
      environment: "production",
      sha: "abcdef1",
      deployable: [
        { sha: headSha, deployedAt: new Date("2026-11-22T11:40:00Z"), current: true },
        { sha: earlierSha, deployedAt: new Date("2026-11-21T09:05:00Z"), current: false },
      ],
    },
  ],
  ["not-a-deployed-commit-none", { kind: "not-a-deployed-commit", environment: "production", sha: "abcdef1", deployable: [] }],
  ["plan-head-moved", { kind: "plan-head-moved", headSha, reason: "pushed-after-comment" }],
  ["plan-head-not-seen", { kind: "plan-head-moved", headSha, reason: "not-seen" }],
  ["locked", { kind: "locked", environment: "production", holder: "#12" }],
  ["lock-held", { kind: "lock-held", command: "lock", environment: "production", holder: "#12" }],
  ["lock-held-by-login", { kind: "lock-held", command: "rollback", environment: "production", holder: "mona" }],
  ["unlocked", { kind: "unlocked", environment: "production", previousHolder: "#12" }],
  ["not-locked", { kind: "not-locked", environment: "staging" }],
  ["error", { kind: "error", command: "plan", reference: "9f1c0e40-1a2b-11f0-8c3d-0242ac120002" }],
];

test("replies: every kind against its golden file", () => {
  const text = replies.map(([name, reply]) => `## ${name}\n\n${renderCommandReply(reply)}\n`).join("\n");
  assertGolden("commands/replies.md", text);
});

test("replies: the parser's and the authorizer's messages are the renderer's", () => {
  const parsed = parseCommentCommand("/plan prod", { authorType: "User", environments });
  assert.equal(parsed.type, "reply");
  if (parsed.type === "reply") assert.equal(parsed.message, renderCommandReply(parsed.reply));
  const refused = authorizeCommand({ command: { type: "rollback", environment: "production" }, permission: "write", config, login: "mona" });
  assert.equal(refused.ok, false);
  if (!refused.ok) assert.equal(refused.message, renderCommandReply(replies.find(([name]) => name === "refused")![1]));
});

test("replies: nothing a commenter typed mentions anyone or escapes its code span", () => {
  const hostile = "@org/team `**bold**` <script> [x](https://example.com) \u202eevil";
  const kinds: CommandReply[] = [
    { kind: "unknown-command", given: hostile },
    { kind: "did-you-mean", given: hostile, suggestion: "plan" },
    { kind: "usage", command: "plan", problem: "extra-arguments", given: hostile, environments },
    { kind: "unknown-environment", command: "lock", given: hostile, environments },
    { kind: "invalid-sha", given: hostile },
    { kind: "refused", command: "plan", required: "write", permission: "read", login: hostile },
    { kind: "locked", environment: "staging", holder: hostile },
    { kind: "error", command: "plan", reference: hostile },
  ];
  for (const reply of kinds) {
    const text = renderCommandReply(reply);
    assert.doesNotMatch(text, /@[A-Za-z]/, text);
    assert.doesNotMatch(text, /\u202e/, text);
    // As GitHub renders it: the text stays in code, with no link, image or HTML of its own.
    assert.deepEqual(injectedElements(renderMarkdown(text)), [], text);
  }
});
