import { readFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { packageRoot } from "../schemas/package-root.js";

/**
 * The GitHub App manifest for the registration flow: the package's `app.yml` (name, events and
 * permissions, each with its reason), plus where GitHub sends webhooks and returns the browser.
 */
export function readAppManifest(params: { baseUrl: string; webhookPath: string; redirectPath: string }): Record<string, unknown> {
  const app = yaml.load(readFileSync(join(packageRoot(), "app.yml"), "utf8")) as Record<string, unknown>;
  return {
    ...app,
    hook_attributes: { url: `${params.baseUrl}${params.webhookPath}` },
    redirect_url: `${params.baseUrl}${params.redirectPath}`,
  };
}
