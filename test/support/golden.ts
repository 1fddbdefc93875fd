import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const goldenRoot = join(dirname(fileURLToPath(import.meta.url)), "../golden");

/**
 * Compares `actual` with `test/golden/<name>`. With `UPDATE_GOLDEN=1` it rewrites the file
 * instead, so a reviewer sees the change in the diff.
 */
export function assertGolden(name: string, actual: string): void {
  const file = join(goldenRoot, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(file, "utf8");
  } catch {
    assert.fail(`golden file test/golden/${name} is missing; run with UPDATE_GOLDEN=1 to create it`);
  }
  assert.equal(actual, expected, `output differs from test/golden/${name} (UPDATE_GOLDEN=1 rewrites it)`);
}
