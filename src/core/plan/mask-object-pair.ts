import { maskObjectValues } from "./mask-object-values.js";

type Value = unknown;

/**
 * Both sides of a change with Secret values masked by `mask` as maskObjectValues does, walked together:
 * where a string changes but both sides mask to the same text, they read `… (old value)` and
 * `… (new value)`, so the diff still shows that it changes, and never to what. Strings in `keep`
 * are left as they are (see maskObjectValues).
 */
export function maskObjectPair(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  mask: (text: string) => string,
  keep: ReadonlySet<string> = new Set(),
): { before?: Record<string, unknown>; after?: Record<string, unknown> } {
  if (before === undefined || after === undefined) {
    return {
      ...(before ? { before: maskObjectValues(before, mask, keep) } : {}),
      ...(after ? { after: maskObjectValues(after, mask, keep) } : {}),
    };
  }
  const [b, a] = pair(before, after, { mask, keep });
  return { before: b as Record<string, unknown>, after: a as Record<string, unknown> };
}

interface Masking {
  mask: (text: string) => string;
  keep: ReadonlySet<string>;
}

function pair(before: Value, after: Value, masking: Masking): [Value, Value] {
  const { mask, keep } = masking;
  if (typeof before === "string" && typeof after === "string") {
    const b = keep.has(before) ? before : mask(before);
    const a = keep.has(after) ? after : mask(after);
    return b === a && before !== after ? [`${b} (old value)`, `${a} (new value)`] : [b, a];
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const b: Value[] = [];
    const a: Value[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      if (i < before.length && i < after.length) {
        const [x, y] = pair(before[i], after[i], masking);
        b.push(x);
        a.push(y);
      } else if (i < before.length) b.push(maskObjectValues(before[i], mask, keep));
      else a.push(maskObjectValues(after[i], mask, keep));
    }
    return [b, a];
  }
  if (isRecord(before) && isRecord(after)) {
    const paired = new Map<string, [Value, Value]>();
    for (const key of Object.keys(before)) if (key in after) paired.set(key, pair(before[key], after[key], masking));
    const side = (record: Record<string, unknown>, index: 0 | 1) => {
      const result: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(record)) {
        const base = mask(key);
        let masked = base;
        for (let n = 2; masked !== key && masked in result; n++) masked = `${base} (${n})`;
        result[masked] = paired.has(key) ? paired.get(key)![index] : maskObjectValues(child, mask, keep);
      }
      return result;
    };
    return [side(before, 0), side(after, 1)];
  }
  return [maskObjectValues(before, mask, keep), maskObjectValues(after, mask, keep)];
}

function isRecord(value: Value): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
