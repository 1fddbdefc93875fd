import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

// The shape docs/architecture.md promises: a pure core that imports nothing from the adapters
// around it, and no import loop anywhere in src/ (type-only imports included: a loop of types
// is still two modules that cannot be understood apart).

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Loops that exist today and are being taken apart. Each entry is the exact set of files of one
 * loop; delete an entry when its loop is gone (this test fails on an entry that no longer matches,
 * so it cannot outlive the loop).
 */
const knownLoops: Record<string, string[]> = {};

test("src/core imports nothing outside src/core", () => {
  const graph = importGraph();
  const upward = [...graph]
    .filter(([file]) => file.startsWith("src/core/"))
    .flatMap(([file, imports]) =>
      imports.filter((target) => target.startsWith("src/") && !target.startsWith("src/core/")).map((target) => `${file} -> ${target}`),
    );
  assert.deepEqual(upward, [], "the core must stay pure: move what it needs into src/core/");
});

test("the import graph of src/ has no loop beyond the known ones", () => {
  const loops = stronglyConnected(importGraph()).map((files) => files.sort());
  const known = Object.entries(knownLoops).map(([name, files]) => ({ name, files: [...files].sort() }));
  const unexpected = loops.filter((files) => !known.some((entry) => sameFiles(entry.files, files)));
  const gone = known.filter((entry) => !loops.some((files) => sameFiles(entry.files, files)));
  assert.deepEqual(unexpected.map(describeLoop), [], "import loops in src/");
  assert.deepEqual(
    gone.map((entry) => entry.name),
    [],
    "known loops that changed or are gone: update or delete their entry in knownLoops",
  );
});

/** Every file under src/ to the files under src/ it imports (relative specifiers only). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles("src")) {
    const text = readFileSync(join(root, file), "utf8");
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const targets = importedFiles
      .map((reference) => reference.fileName)
      .filter((specifier) => specifier.startsWith("."))
      .map((specifier) => resolveImport(file, specifier));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

// NodeNext specifiers name the emitted file (`./x.js`); the source is `./x.ts`.
function resolveImport(from: string, specifier: string): string {
  const target = relative(root, resolve(root, dirname(from), specifier))
    .split("\\")
    .join("/");
  const candidates = [target.replace(/\.js$/, ".ts"), target.replace(/\.mjs$/, ".mts"), target];
  return candidates.find((candidate) => existsSync(join(root, candidate))) ?? target;
}

/** Tarjan's algorithm: the groups of files that reach each other, i.e. the loops. */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || (graph.get(file) ?? []).includes(file)) loops.push(group);
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return loops;
}

function sameFiles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((file, i) => file === b[i]);
}

function describeLoop(files: readonly string[]): string {
  return `${files.length} files: ${files.join(", ")}`;
}
