import { loadAll, type State } from "js-yaml";
import { kubernetesYamlSchema } from "./kubernetes-yaml-schema.js";

export type LineOf = (path: ReadonlyArray<string | number>) => number;

/**
 * Reads a YAML stream again, this time recording where every key and sequence item starts,
 * and returns, per document of the stream, a function from a field's path to its 1-based line
 * (or its nearest known ancestor's). Only called once something needs pointing at.
 */
export function indexYamlPositions(source: string, maxDepth: number): Array<LineOf | undefined> {
  // A mapping's entries are (key, line) pairs ending with an `undefined` key; a sequence's are
  // item lines, its start stored negated. Flat arrays spare the garbage collector.
  const entryKey: Array<string | undefined> = [];
  const entryLine: number[] = [];
  const entriesOf = new Map<object, number>();
  const roots: Array<{ value: unknown; line: number }> = [];

  // Parse events arrive depth first; closed children wait on a scratch stack until their parent closes.
  const frameStart: number[] = [];
  const frameLine: number[] = [];
  const childLine: number[] = [];
  const childValue: unknown[] = [];
  let top = 0;

  const recordKeys = (mapping: object, start: number): void => {
    entriesOf.set(mapping, entryKey.length);
    // Children alternate key, value; a key counts only if the mapping really has it.
    for (let i = start; i < top;) {
      const key = childValue[i];
      if (key !== null && typeof key !== "object" && Object.prototype.hasOwnProperty.call(mapping, String(key))) {
        entryKey.push(String(key));
        entryLine.push(childLine[i]);
        i += 2;
      } else {
        i += 1;
      }
    }
    entryKey.push(undefined);
    entryLine.push(0);
  };

  const recordItems = (sequence: object, start: number): void => {
    if (!Array.isArray(sequence) || top - start !== sequence.length) return;
    entriesOf.set(sequence, -(entryLine.length + 1));
    for (let i = start; i < top; i++) {
      entryKey.push("");
      entryLine.push(childLine[i]);
    }
  };

  const listener = (event: "open" | "close", state: State): void => {
    if (event === "open") {
      frameStart.push(top);
      frameLine.push(state.line + 1);
      return;
    }
    const start = frameStart.pop()!;
    const line = frameLine.pop()!;
    const value: unknown = state.result;
    if (value !== null && typeof value === "object") {
      if (state.kind === "mapping") recordKeys(value, start);
      else if (state.kind === "sequence") recordItems(value, start);
    }
    top = start;
    if (frameStart.length === 0) {
      roots.push({ value, line });
      return;
    }
    childLine[top] = line;
    childValue[top] = value;
    top += 1;
  };

  try {
    loadAll(source, null, { schema: kubernetesYamlSchema, listener, ...({ maxDepth } as object) });
  } catch {
    return [];
  }

  const lineOf = (root: unknown, rootLine: number, path: ReadonlyArray<string | number>): number => {
    let node = root;
    let line = rootLine;
    for (const segment of path) {
      if (node === null || typeof node !== "object") break;
      const from = entriesOf.get(node);
      if (from !== undefined && from < 0) {
        const index = Number(segment);
        if (Number.isInteger(index) && index >= 0 && index < (node as unknown[]).length) line = entryLine[-from - 1 + index];
      } else if (from !== undefined) {
        const key = String(segment);
        for (let j = from; entryKey[j] !== undefined; j++) {
          if (entryKey[j] === key) {
            line = entryLine[j];
            break;
          }
        }
      }
      node = (node as Record<string, unknown>)[segment];
    }
    return line;
  };
  return roots.map((root) => (path: ReadonlyArray<string | number>) => lineOf(root.value, root.line, path));
}
