import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCommentCommand, type CommentContext, type ParsedComment } from "../../../src/core/commands/parse-comment-command.js";
import { commandNames } from "../../../src/core/commands/slipway-command.js";

const environments = ["staging", "production"];
const context: CommentContext = { authorType: "User", environments };
const runs = 2_000;

/** mulberry32: a tiny seeded PRNG, so a failure replays exactly. */
function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fragments = [
  "`",
  "``",
  "```",
  "````",
  "~~~",
  "```yaml",
  "~~~ sh",
  ">",
  "> ",
  ">>",
  "/",
  "//",
  "/slipway",
  "/SLIPWAY",
  "/plan",
  "/Plan",
  "/rollback",
  "/rollbak",
  "/lock",
  "/lcok",
  "/unlock",
  "/help",
  "/shrug",
  "/cc",
  "plan",
  "rollback",
  "to",
  "TO",
  "staging",
  "production",
  "prod",
  "3f9a2c1",
  "3F9A2C1D4E5B6A7980112233445566778899AABB",
  "xyz",
  "HEAD~1",
  " ",
  "  ",
  "    ",
  "\t",
  "\n",
  "\n",
  "\n",
  "\r\n",
  "\r",
  "\n\n",
  "<!--",
  "-->",
  "<!-- x -->",
  "@mona",
  "@org/team",
  "*",
  "_",
  "[x](y)",
  "|",
  "\\",
  "é",
  "😀",
  "\u202e",
  "\u200b",
  "\u00a0",
  "\u0000",
  "\ud800",
  "x".repeat(3000),
  "/plan ".repeat(50),
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function randomText(random: () => number, maxFragments: number): string {
  const count = Math.floor(random() * maxFragments);
  let text = "";
  for (let i = 0; i < count; i++) text += pick(random, fragments);
  return text;
}

/** Lines that are never prose: blank, quoted, a one-line HTML comment, a closed fence. */
function randomNonProse(random: () => number): string {
  const lines: string[] = [];
  const count = Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const choice = random();
    if (choice < 0.3) lines.push("");
    else if (choice < 0.6) lines.push(`> ${randomText(random, 4).replace(/[\r\n]/g, " ")}`, "");
    else if (choice < 0.8) lines.push(`<!-- ${randomText(random, 4).replace(/-->|[\r\n]/g, " ")} -->`);
    else lines.push("```", "/plan staging", "```");
  }
  return lines.join("\n");
}

function assertShape(parsed: ParsedComment, body: string): void {
  const where = JSON.stringify(body.slice(0, 200));
  if (parsed.type === "ignore") {
    assert.deepEqual(parsed, { type: "ignore" }, where);
  } else if (parsed.type === "reply") {
    assert.equal(typeof parsed.message, "string", where);
    assert.ok(parsed.message.length > 0 && parsed.message.length < 2_000, where);
    assert.doesNotMatch(parsed.message, /@[A-Za-z0-9]/, `no mention in the reply to ${where}`);
    assert.equal(typeof parsed.reply.kind, "string", where);
  } else {
    assert.equal(parsed.type, "command", where);
    const command = parsed.command;
    assert.ok((commandNames as readonly string[]).includes(command.type), where);
    if (command.type !== "help" && command.environment !== undefined) assert.ok(environments.includes(command.environment), where);
    if (command.type === "rollback" && command.toSha !== undefined) assert.match(command.toSha, /^[0-9a-f]{7,40}$/, where);
  }
}

test(`fuzz: ${runs} random comments never throw and always parse to one of the three shapes`, () => {
  const random = mulberry32(0x5119a7);
  const seen = { command: 0, reply: 0, ignore: 0 };
  for (let run = 0; run < runs; run++) {
    const body = randomText(random, 40);
    const parsed = parseCommentCommand(body, context);
    assertShape(parsed, body);
    seen[parsed.type]++;
  }
  // The fragments must reach every outcome, or the run proves little.
  assert.ok(seen.command > 20 && seen.reply > 20 && seen.ignore > 20, JSON.stringify(seen));
});

test(`fuzz: ${runs} commands inside a fence never fire`, () => {
  const random = mulberry32(0xc0de);
  for (let run = 0; run < runs; run++) {
    const fence = pick(random, ["```", "````", "~~~", "```sh", "~~~~ text", "   ```"]);
    // The fence's content: random lines and commands, none of which could close a fence.
    const inner =
      `${randomText(random, 20)}\n${pick(random, ["/plan", "/rollback production to 3f9a2c1", "/slipway lock staging", "/help"])}\n${randomText(random, 20)}`
        .split(/\r\n|\r|\n/)
        .filter((line) => !/^\s*(`{3,}|~{3,})/.test(line))
        .join("\n");
    const closing = random() < 0.5 ? `\n${fence.trim().replace(/[^`~]/g, "")}\n${randomNonProse(random)}` : "";
    const body = `${randomNonProse(random)}\n${fence}\n${inner}${closing}`;
    const parsed = parseCommentCommand(body, context);
    assertShape(parsed, body);
    assert.deepEqual(parsed, { type: "ignore" }, JSON.stringify(body.slice(0, 300)));
  }
});

test(`fuzz: ${runs} commands after lines that are not prose do fire`, () => {
  const random = mulberry32(0xf1e7);
  for (let run = 0; run < runs; run++) {
    const body = `${randomNonProse(random)}\n\n${pick(random, ["", " ", "  "])}/lock production${pick(random, ["", "\n", "\r\nthanks", "\nmore /plan"])}`;
    assert.deepEqual(parseCommentCommand(body, context), { type: "command", command: { type: "lock", environment: "production" } }, JSON.stringify(body));
  }
});
