import { test } from "node:test";
import assert from "node:assert/strict";
import { clampRepoLimits } from "../../src/config/clamp-repo-limits.js";

const maximums = { maxFileBytes: 20971520, maxFiles: 20000, maxDocumentsPerFile: 4000, maxDepth: 256, maxAliases: 400 };

test("limits under the server's maximums stay; those over are lowered to them and listed", () => {
  const result = clampRepoLimits({ maxFileBytes: 104857600, maxFiles: 100000, maxDocumentsPerFile: 10, maxDepth: 256, maxAliases: 401 }, maximums);
  assert.deepEqual(result.limits, { maxFileBytes: 20971520, maxFiles: 20000, maxDocumentsPerFile: 10, maxDepth: 256, maxAliases: 400 });
  assert.deepEqual(result.capped, [
    { name: "maxFileBytes", requested: 104857600, maximum: 20971520 },
    { name: "maxFiles", requested: 100000, maximum: 20000 },
    { name: "maxAliases", requested: 401, maximum: 400 },
  ]);
});
