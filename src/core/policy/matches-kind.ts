/** A policy entry against a kind: `*`, `Kind` (core group), `group/Kind` or `group/*`. */
export function matchesKind(entry: string, group: string, kind: string): boolean {
  if (entry === "*") return true;
  const slash = entry.lastIndexOf("/");
  const entryGroup = slash < 0 ? "" : entry.slice(0, slash);
  const entryKind = slash < 0 ? entry : entry.slice(slash + 1);
  return entryGroup === group && (entryKind === "*" || entryKind === kind);
}
