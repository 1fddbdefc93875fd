import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { codeBlock } from "../../src/core/markdown/code-block.js";
import { codeSpan } from "../../src/core/markdown/code-span.js";
import { createSecretMasker } from "../../src/core/plan/create-secret-masker.js";

// Spreading an array into a call (`push(...items)`, `Math.max(...runs)`) puts every item on the
// stack: past about 100,000 items it throws a RangeError, so input of that size stops the job.

test("text with 300,000 backtick runs still gets a fence and a code span", () => {
  const text = "`a".repeat(300_000);
  assert.ok(codeBlock(text, "diff").startsWith("``"));
  assert.ok(codeSpan(text).startsWith("``"));
});

test("a masker for 300,000 Secret values", () => {
  const values = Array.from({ length: 300_000 }, (_, i) => `value-${i}`);
  assert.equal(createSecretMasker(values)("a value-7 b"), "a *** b");
});

test("no call in src spreads an array into its arguments", () => {
  const root = fileURLToPath(new URL("../../src", import.meta.url));
  // A spread as an argument of its own (not inside an object or array literal argument).
  const risky = /\b(push|unshift|splice|concat|max|min|fromCharCode|fromCodePoint|apply)\(\s*(?:[^(){}[\],]+,\s*)*\.\.\./;
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) {
        readFileSync(path, "utf8")
          .split("\n")
          .forEach((line, i) => {
            if (!line.trim().startsWith("//") && risky.test(line)) found.push(`${path.slice(root.length + 1)}:${i + 1}: ${line.trim()}`);
          });
      }
    }
  };
  walk(root);
  assert.deepEqual(found, []);
});
