/** `*` matches any run of characters except `/`; everything else is literal. Case-insensitive, as GitHub names are. */
export function matchesPattern(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split("*").map(escapeRegex).join("[^/]*")}$`, "i");
  return regex.test(value);
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}
