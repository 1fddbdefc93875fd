/**
 * Turns a JSON pointer (ajv's `instancePath`, e.g. `/spec/containers/0/image`) into a path
 * array; numeric segments become numbers so they read as sequence indexes.
 */
export function pathFromJsonPointer(pointer: string): Array<string | number> {
  if (pointer === "" || pointer === "/") return pointer === "/" ? [""] : [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => {
      const unescaped = segment.replace(/~1/g, "/").replace(/~0/g, "~");
      return /^(0|[1-9][0-9]*)$/.test(unescaped) ? Number(unescaped) : unescaped;
    });
}
