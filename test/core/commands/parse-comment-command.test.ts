import assert from "node:assert/strict";
import { injectedElements, renderMarkdown } from "../../support/render-markdown.js";
import { test } from "node:test";
import { findCommandLine, maxScannedChars } from "../../../src/core/commands/find-command-line.js";
import { parseCommentCommand, type CommentContext, type ParsedComment } from "../../../src/core/commands/parse-comment-command.js";
import type { CommandReply } from "../../../src/core/commands/render-command-reply.js";
import type { SlipwayCommand } from "../../../src/core/commands/slipway-command.js";

const environments = ["staging", "production", "eu-west"];
const user: CommentContext = { authorType: "User", environments };

type Expected = SlipwayCommand | CommandReply | "ignore";

/** [case, comment body, what it should parse to]: a command, a reply's data, or "ignore". */
const cases: Array<[string, string, Expected]> = [
  // The short forms.
  ["plan", "/plan", { type: "plan" }],
  ["plan an environment", "/plan staging", { type: "plan", environment: "staging" }],
  ["lock", "/lock production", { type: "lock", environment: "production" }],
  ["unlock", "/unlock", { type: "unlock" }],
  ["help", "/help", { type: "help" }],
  ["help ignores what follows", "/help me please", { type: "help" }],
  ["rollback", "/rollback", { type: "rollback" }],
  ["rollback an environment", "/rollback production", { type: "rollback", environment: "production" }],
  ["rollback to a commit", "/rollback to 3f9a2c1", { type: "rollback", toSha: "3f9a2c1" }],
  ["rollback an environment to a commit", "/rollback production to 3F9A2C1D", { type: "rollback", environment: "production", toSha: "3f9a2c1d" }],
  ["rollback to a full sha", `/rollback staging to ${"a".repeat(40)}`, { type: "rollback", environment: "staging", toSha: "a".repeat(40) }],

  // The /slipway prefix.
  ["prefix", "/slipway plan eu-west", { type: "plan", environment: "eu-west" }],
  ["prefix alone is help", "/slipway", { type: "help" }],
  ["prefix help", "/slipway help", { type: "help" }],
  ["prefix rollback", "/slipway rollback production to 3f9a2c1", { type: "rollback", environment: "production", toSha: "3f9a2c1" }],
  ["prefix unknown command", "/slipway promote", { kind: "unknown-command", given: "promote" }],
  ["prefix typo", "/slipway rolback", { kind: "unknown-command", given: "rolback", suggestion: "rollback" }],
  ["prefix typo, any first letter", "/slipway elp", { kind: "unknown-command", given: "elp", suggestion: "help" }],
  ["prefix typo of the prefix", "/slipwya plan", { kind: "did-you-mean", given: "/slipwya", suggestion: "slipway" }],

  // Case and whitespace.
  ["upper case", "/PLAN STAGING", { type: "plan", environment: "staging" }],
  ["mixed case prefix", "/SlipWay Rollback Production TO 3f9a2c1", { type: "rollback", environment: "production", toSha: "3f9a2c1" }],
  ["spaces around", "   /plan    staging   ", { type: "plan", environment: "staging" }],
  ["tabs between", "/lock\tproduction", { type: "lock", environment: "production" }],
  ["blank lines first", "\n\n  \n/unlock staging\n", { type: "unlock", environment: "staging" }],
  ["CRLF", "\r\n/plan staging\r\nThanks!\r\n", { type: "plan", environment: "staging" }],
  ["CR alone", "/plan\rstaging", { type: "plan" }],
  ["non-breaking space before", "\u00a0/plan", { type: "plan" }],
  ["text after the command line", "/rollback production\nThe release broke checkout.", { type: "rollback", environment: "production" }],
  ["trailing HTML comment", "/plan staging <!-- from the runbook -->", { type: "plan", environment: "staging" }],

  // Only the first line of prose counts.
  ["prose first", "Looks good.\n/plan", "ignore"],
  ["mentioned mid-sentence", "please /plan staging", "ignore"],
  ["inline code", "`/plan`", "ignore"],
  ["second command is not run", "/lock staging\n/unlock staging", { type: "lock", environment: "staging" }],

  // Quotes.
  ["quoted", "> /rollback production", "ignore"],
  ["quoted, indented", "   > /plan", "ignore"],
  ["nested quote", ">> /plan", "ignore"],
  ["quote continued without a blank line", "> why?\n/rollback production", "ignore"],
  ["quote reply then a command", "> why?\n\n/rollback production", { type: "rollback", environment: "production" }],
  ["quote then a fence", "> why?\n```\n\n/plan\n```", "ignore"],

  // Fenced code.
  ["backtick fence", "```\n/plan\n```", "ignore"],
  ["tilde fence", "~~~\n/rollback production\n~~~", "ignore"],
  ["fence with a language", "```sh\n/plan\n```", "ignore"],
  ["fence with a long info string", "~~~ text title=x\n/plan\n~~~", "ignore"],
  ["unclosed fence", "```\n/plan", "ignore"],
  ["unclosed fence after text is prose first", "```yaml\nkey: value\n\n/plan\n", "ignore"],
  ["fence closed by a longer fence", "```\n/plan\n`````\n/lock", { type: "lock" }],
  ["fence not closed by a shorter fence", "````\n```\n/plan\n````", "ignore"],
  ["fence not closed by the other char", "```\n~~~\n/plan\n```\n/unlock", { type: "unlock" }],
  ["closing fence with trailing text does not close", "```\n``` x\n/plan", "ignore"],
  ["indented fence", "   ```\n/plan\n   ```\n/help", { type: "help" }],
  ["backticks with a backtick after are inline code", "```x`\n/plan", "ignore"],
  ["command after a closed fence", "```\nlog output\n```\n/plan staging", { type: "plan", environment: "staging" }],

  // Indented code.
  ["four spaces", "    /plan", "ignore"],
  ["a tab", "\t/plan", "ignore"],
  ["two spaces and a tab", "  \t/plan", "ignore"],
  ["three spaces", "   /plan", { type: "plan" }],

  // HTML comments.
  ["commented out", "<!-- /plan -->", "ignore"],
  ["commented out across lines", "<!--\n/plan\n-->", "ignore"],
  ["command after a comment", "<!--\ntemplate\n-->\n/plan", { type: "plan" }],
  ["unclosed comment", "<!--\n/plan", "ignore"],
  ["text after a comment on its line", "<!-- x --> /plan", "ignore"],

  // Other bots' commands are left alone; near misses of Slipway's get an answer.
  ["shrug", "/shrug", "ignore"],
  ["cc", "/cc @mona", "ignore"],
  ["hold", "/hold", "ignore"],
  ["approve", "/approve", "ignore"],
  ["block", "/block", "ignore"],
  ["a path", "/usr/bin/env", "ignore"],
  ["slash alone", "/", "ignore"],
  ["double slash", "//plan", "ignore"],
  ["rollbak", "/rollbak", { kind: "did-you-mean", given: "/rollbak", suggestion: "rollback" }],
  ["rolback with arguments", "/rolback production", { kind: "did-you-mean", given: "/rolback", suggestion: "rollback" }],
  ["unlcok", "/unlcok", { kind: "did-you-mean", given: "/unlcok", suggestion: "unlock" }],
  ["lcok", "/lcok", { kind: "did-you-mean", given: "/lcok", suggestion: "lock" }],
  ["plans", "/plans", { kind: "did-you-mean", given: "/plans", suggestion: "plan" }],
  ["hepl", "/HEPL", { kind: "did-you-mean", given: "/HEPL", suggestion: "help" }],
  ["plan with punctuation", "/plan.", { kind: "did-you-mean", given: "/plan.", suggestion: "plan" }],
  ["two edits from a short name", "/pln2", "ignore"],

  // Environments.
  ["unknown environment", "/plan prod", { kind: "unknown-environment", command: "plan", given: "prod", environments }],
  ["environment case", "/lock EU-West", { type: "lock", environment: "eu-west" }],
  ["unknown environment for rollback", "/rollback prod to 3f9a2c1", { kind: "unknown-environment", command: "rollback", given: "prod", environments }],

  // Arguments.
  ["extra arguments", "/plan staging production", { kind: "usage", command: "plan", problem: "extra-arguments", given: "production", environments }],
  [
    "extra arguments to lock",
    "/lock staging until friday",
    { kind: "usage", command: "lock", problem: "extra-arguments", given: "until friday", environments },
  ],
  ["rollback: to without a sha", "/rollback production to", { kind: "usage", command: "rollback", problem: "missing-sha", environments }],
  ["rollback: to alone", "/rollback to", { kind: "usage", command: "rollback", problem: "missing-sha", environments }],
  [
    "rollback: sha without to",
    "/rollback production 3f9a2c1",
    {
      kind: "usage",
      command: "rollback",
      problem: "sha-without-to",
      environments,
      suggestion: { type: "rollback", environment: "production", toSha: "3f9a2c1" },
    },
  ],
  [
    "rollback: sha in place of an environment",
    "/rollback 3F9A2C1",
    { kind: "usage", command: "rollback", problem: "sha-without-to", environments, suggestion: { type: "rollback", toSha: "3f9a2c1" } },
  ],
  ["rollback: too many", "/rollback production to 3f9a2c1 now", { kind: "usage", command: "rollback", problem: "extra-arguments", given: "now", environments }],
  ["rollback: short sha", "/rollback to 3f9a2c", { kind: "invalid-sha", given: "3f9a2c" }],
  ["rollback: long sha", `/rollback to ${"b".repeat(41)}`, { kind: "invalid-sha", given: "b".repeat(41) }],
  ["rollback: not hex", "/rollback production to HEAD~1", { kind: "invalid-sha", given: "HEAD~1" }],
  ["rollback: a tag", "/rollback to v1.2.3", { kind: "invalid-sha", given: "v1.2.3" }],
];

for (const [name, body, expected] of cases) {
  test(`parse: ${name}`, () => {
    assertParsed(parseCommentCommand(body, user), expected);
  });
}

test("parse: a bot's comment is ignored, whatever it says", () => {
  for (const body of ["/plan", "/rollback production", "/slipway foo", "/rollbak"]) {
    assert.deepEqual(parseCommentCommand(body, { authorType: "Bot", environments }), { type: "ignore" });
  }
  assertParsed(parseCommentCommand("/plan", { authorType: "Organization", environments }), { type: "plan" });
});

test("parse: an environment named 'to' still works, and 'to' before a sha stays the keyword", () => {
  const context: CommentContext = { authorType: "User", environments: ["to", "production"] };
  assertParsed(parseCommentCommand("/rollback to", context), { type: "rollback", environment: "to" });
  assertParsed(parseCommentCommand("/rollback to 3f9a2c1", context), { type: "rollback", toSha: "3f9a2c1" });
  assertParsed(parseCommentCommand("/rollback to to 3f9a2c1", context), { type: "rollback", environment: "to", toSha: "3f9a2c1" });
});

test("parse: a repository with no environments says so", () => {
  const parsed = parseCommentCommand("/plan staging", { authorType: "User", environments: [] });
  assert.equal(parsed.type, "reply");
  assert.match(parsed.type === "reply" ? parsed.message : "", /names no environments/);
});

test("parse: replies repeat only a short, quoted slice of what was typed, mentioning no one", () => {
  const hostile = "@mona`](https://evil.example)<img src=x>" + "x".repeat(500);
  for (const body of [`/slipway ${hostile}`, `/plan ${hostile}`, `/plan staging ${hostile}`, `/rollback to ${hostile}`, `/rollback staging to ${hostile}`]) {
    const parsed = parseCommentCommand(body, user);
    assert.equal(parsed.type, "reply", body);
    if (parsed.type !== "reply") continue;
    assert.doesNotMatch(parsed.message, /@[A-Za-z0-9]/, "no mention");
    assert.doesNotMatch(parsed.message, /x{41}/, "at most 40 characters of input");
    // What was typed stays inside code, as GitHub renders it: no link, image or HTML of its own.
    assert.deepEqual(injectedElements(renderMarkdown(parsed.message)), [], parsed.message);
    assert.ok(parsed.message.length < 1000);
  }
});

test("parse: a 1 MB comment is read only up to the bound", () => {
  const megabyte = "x".repeat(1024 * 1024);
  assert.deepEqual(parseCommentCommand(`/plan staging\n${megabyte}`, user), { type: "command", command: { type: "plan", environment: "staging" } });
  assert.deepEqual(parseCommentCommand(`${megabyte}\n/plan`, user), { type: "ignore" });
  // A command past the bound does not count, even after nothing but blank lines.
  assert.deepEqual(parseCommentCommand(`${"\n".repeat(maxScannedChars)}/plan`, user), { type: "ignore" });
  assert.deepEqual(parseCommentCommand(`${"\n".repeat(maxScannedChars - 10)}/plan`, user), { type: "command", command: { type: "plan" } });
  // Worst cases for the scanner: one huge line, a fence that never closes, many short lines.
  const parsed = parseCommentCommand(`/rollback ${"a ".repeat(512 * 1024)}`, user);
  assert.equal(parsed.type, "reply");
  assert.deepEqual(parseCommentCommand(`\`\`\`\n${"/plan\n".repeat(200_000)}`, user), { type: "ignore" });
  assert.deepEqual(parseCommentCommand(`${"> /plan\n".repeat(200_000)}`, user), { type: "ignore" });
  assert.deepEqual(parseCommentCommand(`/${"r".repeat(1024 * 1024)}`, user), { type: "ignore" });
});

test("findCommandLine: the first line of prose, trimmed, comments removed", () => {
  assert.equal(findCommandLine("> quote\n\n  /plan  <!-- x -->  \nmore"), "/plan");
  assert.equal(findCommandLine("```\ncode\n```"), undefined);
  assert.equal(findCommandLine(""), undefined);
});

function assertParsed(actual: ParsedComment, expected: Expected): void {
  if (expected === "ignore") {
    assert.deepEqual(actual, { type: "ignore" });
  } else if ("kind" in expected) {
    assert.equal(actual.type, "reply", JSON.stringify(actual));
    if (actual.type !== "reply") return;
    assert.deepEqual(actual.reply, expected);
    assert.ok(actual.message.length > 0);
  } else {
    assert.deepEqual(actual, { type: "command", command: expected });
  }
}
