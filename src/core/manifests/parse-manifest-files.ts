import { loadYamlDocuments } from "../yaml/load-yaml-documents.js";
import type { LoadManifestsResult, ManifestLimits } from "./manifest-object.js";
import type { ManifestFiles } from "./read-manifest-files.js";

/**
 * The CPU half of loadManifests: parses files already read (readManifestFiles) into objects,
 * every file or YAML problem an error next to the objects that did load, in path order. Pure, so
 * it can run where a hostile file cannot stall anything else.
 */
export function parseManifestFiles(read: ManifestFiles, limits: ManifestLimits): LoadManifestsResult {
  const errors = [...read.errors];
  const objects: LoadManifestsResult["objects"] = [];
  for (const { path, read: file } of read.files) {
    if (!file.ok) {
      errors.push({ file: path, line: 0, message: file.message });
      continue;
    }
    const loaded = loadYamlDocuments(file.bytes, { file: path, limits });
    if (!loaded.ok) {
      errors.push(loaded.error);
      continue;
    }
    for (const document of loaded.documents) {
      const value = document.value;
      if (!isObject(value)) {
        errors.push({ file: path, line: document.line, message: "document is not a Kubernetes object (expected a mapping with apiVersion and kind)" });
        continue;
      }
      if (!isList(value)) {
        objects.push({ object: value, file: path, line: document.line, documentIndex: document.index, lineOf: document.lineOf });
        continue;
      }
      // `kind: List` and any `*List` with items: each item is an object, at its own line.
      value.items.forEach((item: unknown, listIndex) => {
        const line = document.lineOf(["items", listIndex]);
        if (!isObject(item)) {
          errors.push({
            file: path,
            line,
            message: `items[${listIndex}] of the ${String(value.kind)} is not a Kubernetes object (expected a mapping with apiVersion and kind)`,
          });
          return;
        }
        objects.push({
          object: item,
          file: path,
          line,
          documentIndex: document.index,
          listIndex,
          lineOf: (field) => document.lineOf(["items", listIndex, ...field]),
        });
      });
    }
  }
  return { objects, errors, files: read.files.length };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isList(object: Record<string, unknown>): object is Record<string, unknown> & { items: unknown[] } {
  return typeof object.kind === "string" && object.kind.endsWith("List") && Array.isArray(object.items);
}
