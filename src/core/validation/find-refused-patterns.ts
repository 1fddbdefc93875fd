import { RE2JS } from "re2js";

export interface RefusedPattern {
  pattern: string;
  /** RE2's reason, e.g. "invalid escape sequence: `\1`". */
  reason: string;
}

/**
 * Every `pattern` in a JSON Schema that RE2 cannot compile (see linearRegExp): those are not
 * checked, and the caller turns each into a warning instead of trusting a silent pass.
 */
export function findRefusedPatterns(schema: unknown): RefusedPattern[] {
  const refused = new Map<string, string>();
  const pending: unknown[] = [schema];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      for (const child of node) pending.push(child);
      continue;
    }
    const pattern = (node as Record<string, unknown>).pattern;
    if (typeof pattern === "string" && !refused.has(pattern)) {
      try {
        RE2JS.compile(pattern);
      } catch (error) {
        refused.set(pattern, (error instanceof Error ? error.message : String(error)).replace(/^error parsing regexp: /, ""));
      }
    }
    for (const [key, child] of Object.entries(node))
      if ((key !== "pattern" || typeof child === "object") && key !== "enum" && key !== "const") pending.push(child);
  }
  return [...refused].map(([pattern, reason]) => ({ pattern, reason }));
}
