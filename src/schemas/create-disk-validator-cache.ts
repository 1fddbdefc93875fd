import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CompiledValidatorCache } from "../core/validation/create-schema-registry.js";

/**
 * Compiled validators kept as files under `dir`, one per kind, named by a hash of the schema
 * set, Slipway's version and the kind. Each file starts with a hash of its code: a file cut short
 * or changed is ignored (and compiled again), never run. Writing is best effort, through a rename,
 * so a reader never sees half a file; a cache that cannot be written only costs time.
 */
export function createDiskValidatorCache(params: { dir: string; schemaSet: string; slipwayVersion: string }): CompiledValidatorCache {
  const folder = join(params.dir, "validators");
  const fileOf = (key: string) => join(folder, `${sha256(`${params.schemaSet}\n${params.slipwayVersion}\n${key}`)}.js`);
  return {
    get(key) {
      let text: string;
      try {
        text = readFileSync(fileOf(key), "utf8");
      } catch {
        return undefined;
      }
      const newline = text.indexOf("\n");
      const header = text.slice(0, newline);
      const code = text.slice(newline + 1);
      return newline > 0 && header === `// sha256:${sha256(code)}` ? code : undefined;
    },
    set(key, code) {
      const file = fileOf(key);
      const temporary = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(folder, { recursive: true });
        writeFileSync(temporary, `// sha256:${sha256(code)}\n${code}`);
        renameSync(temporary, file);
      } catch {
        // Read-only or full: the next run compiles again.
      }
    },
  };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
