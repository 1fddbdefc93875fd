/** A schema document's group-version: `api/v1.json` → `v1`; `apis/apps/v1.json` or `apis__apps__v1.json` → `apps/v1`. */
export function groupVersionOf(documentName: string): string {
  return documentName
    .replace(/\.json$/, "")
    .split(/\/|__/)
    .slice(1)
    .join("/");
}
