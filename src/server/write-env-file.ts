import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";

/**
 * Sets `values` in the `.env` file at `path`, keeping its other lines. The file holds the App's
 * private key and webhook secret, so it is written readable by its owner only (0600), whatever
 * it was before: a new file is written next to it and renamed over it.
 */
export function writeEnvFile(path: string, values: Readonly<Record<string, string>>): void {
  const keys = new Set(Object.keys(values));
  const kept = (existsSync(path) ? readFileSync(path, "utf8").split(/\r?\n/) : []).filter((line) => {
    const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    return key === undefined || !keys.has(key);
  });
  while (kept.length > 0 && kept[kept.length - 1]!.trim() === "") kept.pop();
  const lines = [...kept, ...Object.entries(values).map(([key, value]) => `${key}=${envValue(key, value)}`)];

  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(temporary, `${lines.join("\n")}\n`, { mode: 0o600, flag: "wx" });
  renameSync(temporary, path);
}

/** A value as `.env` files (Node's loadEnvFile) read it: bare when plain, else double-quoted with `\n` for newlines. */
function envValue(key: string, value: string): string {
  if (/^[A-Za-z0-9_.:/+=@-]*$/.test(value)) return value;
  if (/["\\\r]/.test(value)) throw new Error(`${key} holds characters a .env file cannot keep`);
  return `"${value.replace(/\n/g, "\\n")}"`;
}
