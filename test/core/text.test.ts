import assert from "node:assert/strict";
import { test } from "node:test";
import { editDistance, plural, truncate } from "../../src/core/text.js";

test("plural counts a noun as a sentence reads it", () => {
  assert.equal(plural(1, "object"), "1 object");
  assert.equal(plural(0, "object"), "0 objects");
  assert.equal(plural(3, "replica"), "3 replicas");
  assert.equal(plural(2, "child", "children"), "2 children");
});

test("truncate keeps short text and ends cut text with an ellipsis within the length", () => {
  assert.equal(truncate("deploy", 140), "deploy");
  assert.equal(truncate("abcdef", 6), "abcdef");
  assert.equal(truncate("abcdefg", 6), "abcde…");
  assert.equal(truncate("ab🚀🚀🚀", 4), "ab🚀…", "a character outside the BMP is not split");
});

test("editDistance counts an adjacent transposition as one edit and stops past its limit", () => {
  assert.equal(editDistance("lock", "lock"), 0);
  assert.equal(editDistance("lcok", "lock"), 1);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("kitten", "sitting", 2), 3, "limit + 1 once it must exceed the limit");
  assert.equal(editDistance("a", "abcdefgh", 2), 3, "rejected by length alone");
});
