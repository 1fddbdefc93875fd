const maxLength = 63;

/**
 * The environment id `<owner>.<repo>.<env>` as a label value: lower case (GitHub names are
 * case-insensitive), characters a label value cannot hold become `-`, and an id longer than 63
 * characters is cut and ends in a hash of the whole id, so two long ids stay distinct.
 */
export function environmentLabelValue(owner: string, repo: string, env: string): string {
  const id = [owner, repo, env].map((part) => part.toLowerCase().replace(/[^a-z0-9_.-]+/g, "-")).join(".");
  const trimmed = trimEnds(id);
  if (trimmed.length <= maxLength) return trimmed || "slipway";
  const hash = fnv1a(`${owner}/${repo}/${env}`.toLowerCase());
  return `${trimEnds(trimmed.slice(0, maxLength - hash.length - 1))}-${hash}`;
}

// A label value must start and end with an alphanumeric character.
function trimEnds(value: string): string {
  return value.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
}

// 32-bit FNV-1a: short, stable and pure; collisions only matter between ids already cut to 54 characters.
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
