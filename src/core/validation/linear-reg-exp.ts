import type { RegExpEngine, RegExpLike } from "ajv/dist/types/index.js";
import { RE2JS } from "re2js";

/**
 * ajv's `code.regExp` for patterns a repository supplies (CRD `pattern`s): RE2 matches in time
 * linear in the input, so no value can make a pattern backtrack for seconds. The API server runs
 * these patterns with Go's RE2 too, so a match means what it means there. A pattern RE2 cannot
 * compile (backreferences, lookaround) checks nothing and never throws.
 */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string): RegExpLike => {
    let re2: RE2JS | undefined;
    try {
      re2 = RE2JS.compile(pattern);
    } catch {
      // Refused: checks nothing (findRefusedPatterns turns it into a warning).
    }
    const like: RegExpLike & { toString(): string } = {
      test: (value: string) => re2 === undefined || re2.matcher(value).find(),
      // ajv keys compiled patterns by this string: it must differ per pattern.
      toString: () => `re2:${pattern}`,
    };
    return like;
  },
  // Only ajv's standalone code generation reads this; Slipway does not use it.
  { code: "re2js" },
);
