import { readdirSync } from "node:fs";

/** The newest Kubernetes version (major.minor) with a `v<version>` folder under `root`, if any. */
export function newestBundledVersion(root: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return undefined;
  }
  const versions = names.filter((name) => /^v\d+\.\d+$/.test(name)).map((name) => name.slice(1).split(".").map(Number));
  versions.sort((a, b) => b[0]! - a[0]! || b[1]! - a[1]!);
  return versions[0]?.join(".");
}
