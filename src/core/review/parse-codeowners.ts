/** One line of a CODEOWNERS file: a path pattern and its owners (`@user`, `@org/team`, emails). */
export interface CodeownersRule {
  pattern: string;
  owners: string[];
  matches: (path: string) => boolean;
}

/**
 * Reads a CODEOWNERS file into rules, in file order (the last matching rule wins, as on GitHub).
 * Patterns follow GitHub's subset of gitignore: `*` within a path segment, `**` across segments,
 * a leading `/` anchors at the root, a trailing `/` means a folder and everything below it,
 * `dir/*` only the files directly in it, a pattern without a `/` matches at any depth. Lines it cannot read (`!`, `[` ranges) are skipped,
 * as GitHub skips them.
 */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "") continue;
    const [pattern, ...owners] = line.split(/\s+/) as [string, ...string[]];
    if (pattern.startsWith("!") || pattern.includes("[") || pattern.startsWith("\\#")) continue;
    const regex = patternToRegExp(pattern);
    rules.push({ pattern, owners, matches: (path) => regex.test(path) });
  }
  return rules;
}

/** The owners of a path: the last rule that matches it (an empty list when that rule names none). */
export function ownersOf(rules: readonly CodeownersRule[], path: string): { pattern: string; owners: string[] } | undefined {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i]!;
    if (rule.matches(path)) return { pattern: rule.pattern, owners: rule.owners };
  }
  return undefined;
}

function patternToRegExp(pattern: string): RegExp {
  const anchored = pattern.startsWith("/") || pattern.slice(0, -1).includes("/");
  const folder = pattern.endsWith("/");
  const body = pattern.replace(/^\/+/, "").replace(/\/+$/, "");
  let source = "";
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === "*" && body[i + 1] === "*") {
      // `**/` any folders (or none); a trailing `**` everything below.
      if (body[i + 2] === "/") {
        source += "(?:.*/)?";
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  const prefix = anchored ? "^" : "^(?:.*/)?";
  // A name matches the file itself or, as a folder, everything below it; `dir/*` only what is directly in it.
  const suffix = folder ? "/.*$" : body.endsWith("/*") ? "$" : "(?:/.*)?$";
  return new RegExp(prefix + source + suffix);
}
