import * as jsYaml from "js-yaml";
import { CORE_SCHEMA, loadAll, Type, YAMLException, type State } from "js-yaml";
import { findInvalidUtf8 } from "./find-invalid-utf8.js";

/** One non-empty YAML document of a file, with enough position data to point at a field. */
export interface YamlDocument {
  /** Position of the document in the file's stream (0-based, empty documents included). */
  index: number;
  value: unknown;
  /** 1-based line where the document's content starts. */
  line: number;
  /** 1-based line of the field at `path`, or of its nearest ancestor whose position is known. */
  lineOf(path: ReadonlyArray<string | number>): number;
}

export interface YamlLimits {
  maxFileBytes: number;
  maxDocumentsPerFile: number;
  maxDepth: number;
  maxAliases: number;
  /** Nodes that alias uses may add in one file; a YAML alias bomb stops here. */
  maxAliasExpansion?: number;
}

export interface YamlLoadError {
  file: string;
  /** 1-based; 0 when the problem is the file as a whole. */
  line: number;
  message: string;
}

export type LoadYamlDocumentsResult =
  | { ok: true; documents: YamlDocument[] }
  | { ok: false; error: YamlLoadError };

export const defaultMaxAliasExpansion = 1_000_000;

// Kubernetes reads YAML into JSON with go-yaml (YAML 1.1): no timestamps, binaries or sets,
// merge keys (`<<`) work, and yes/no/on/off/y/n are booleans, so a manifest means here what
// it means to the API server. (`types` is exported by js-yaml 4 but missing from its declarations.)
const { merge } = (jsYaml as unknown as { types: { merge: Type } }).types;
const yaml11Booleans: Record<string, boolean> = Object.fromEntries([
  ...["true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON"].map((word) => [word, true]),
  ...["false", "False", "FALSE", "n", "N", "no", "No", "NO", "off", "Off", "OFF"].map((word) => [word, false]),
]);
const yaml11Boolean = new Type("tag:yaml.org,2002:bool", {
  // Same tag as the core boolean, so it replaces it.
  predicate: (value: unknown) => typeof value === "boolean",
  represent: { lowercase: (value: object) => String(value) },
  defaultStyle: "lowercase",
  kind: "scalar",
  resolve: (data: string | null) => data !== null && Object.prototype.hasOwnProperty.call(yaml11Booleans, data),
  construct: (data: string) => yaml11Booleans[data],
});
const kubernetesSchema = CORE_SCHEMA.extend({ implicit: [yaml11Boolean, merge] });

interface NodeInfo {
  /** Line of each key (mapping) or item (sequence), 1-based. */
  lines: Record<string, number> | number[] | undefined;
  size: number;
  height: number;
}

class LimitExceeded extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Parses a multi-document YAML file with js-yaml and records where every key and sequence
 * item starts, so later checks can name a line. Bounded: file size, documents, nesting,
 * alias uses and alias expansion all end in an error, never a hang.
 */
export function loadYamlDocuments(
  text: string | Uint8Array,
  options: { file: string; limits: YamlLimits },
): LoadYamlDocumentsResult {
  const { file, limits } = options;
  const fail = (line: number, message: string): LoadYamlDocumentsResult => ({ ok: false, error: { file, line, message } });

  let source: string;
  if (typeof text === "string") {
    if (text.length > limits.maxFileBytes || (text.length * 3 > limits.maxFileBytes && utf8Length(text) > limits.maxFileBytes)) {
      return fail(0, `file is larger than ${limits.maxFileBytes} bytes (validation.limits.maxFileBytes)`);
    }
    source = text;
  } else {
    if (text.byteLength > limits.maxFileBytes) {
      return fail(0, `file is larger than ${limits.maxFileBytes} bytes (validation.limits.maxFileBytes)`);
    }
    try {
      source = utf8.decode(text);
    } catch {
      const offset = findInvalidUtf8(text);
      return fail(lineAtByte(text, offset), `invalid UTF-8 at byte ${offset}`);
    }
  }

  const maxAliasExpansion = limits.maxAliasExpansion ?? defaultMaxAliasExpansion;
  const infos = new WeakMap<object, NodeInfo>();
  const roots: Array<{ line: number; value: unknown }> = [];

  // Parse events arrive depth first; closed children wait on a scratch stack until their parent closes.
  const frameStart: number[] = [];
  const frameLine: number[] = [];
  const childLine: number[] = [];
  const childValue: unknown[] = [];
  const childSize: number[] = [];
  const childHeight: number[] = [];
  let aliases = 0;
  let expansion = 0;

  const listener = (event: "open" | "close", state: State): void => {
    if (event === "open") {
      frameStart.push(childValue.length);
      frameLine.push(state.line + 1);
      return;
    }
    const start = frameStart.pop()!;
    const line = frameLine.pop()!;
    const kind = state.kind as string | null;
    const value: unknown = state.result;
    let size = 1;
    let height = 1;

    if (kind === "mapping" || kind === "sequence") {
      for (let i = start; i < childValue.length; i++) {
        size += childSize[i];
        if (childHeight[i] + 1 > height) height = childHeight[i] + 1;
      }
      if (value !== null && typeof value === "object") {
        infos.set(value, { lines: kind === "mapping" ? keyLines(value, start) : itemLines(value, start), size, height });
      }
    } else if (kind === null && value !== null && value !== undefined) {
      // A node with no kind but a value is an alias (`*name`).
      aliases += 1;
      if (aliases > limits.maxAliases) {
        throw new LimitExceeded(line, `more than ${limits.maxAliases} YAML aliases in one file (validation.limits.maxAliases)`);
      }
      if (typeof value === "object") {
        const target = infos.get(value);
        if (target === undefined) {
          throw new LimitExceeded(line, "an alias refers to a node that contains it (recursive YAML structure)");
        }
        size = target.size;
        height = target.height;
        expansion += size;
        if (expansion > maxAliasExpansion) {
          throw new LimitExceeded(line, `YAML aliases expand to more than ${maxAliasExpansion} nodes (alias bomb?)`);
        }
        // The alias sits at parse depth `state.depth`; its target adds `height - 1` levels below.
        if ((state as State & { depth: number }).depth + height - 1 > limits.maxDepth) {
          throw new LimitExceeded(line, `nesting deeper than ${limits.maxDepth} levels through aliases (validation.limits.maxDepth)`);
        }
      }
    }

    childLine.length = start;
    childValue.length = start;
    childSize.length = start;
    childHeight.length = start;

    if (frameStart.length === 0) {
      roots.push({ line, value });
      if (roots.length > limits.maxDocumentsPerFile) {
        throw new LimitExceeded(line, `more than ${limits.maxDocumentsPerFile} YAML documents in one file (validation.limits.maxDocumentsPerFile)`);
      }
      if (height > limits.maxDepth) {
        throw new LimitExceeded(line, `nesting deeper than ${limits.maxDepth} levels (validation.limits.maxDepth)`);
      }
      return;
    }
    childLine.push(line);
    childValue.push(value);
    childSize.push(size);
    childHeight.push(height);
  };

  // Children of a mapping alternate key, value; a key counts only if the mapping really has it.
  const keyLines = (mapping: object, start: number): Record<string, number> => {
    const lines: Record<string, number> = Object.create(null);
    for (let i = start; i < childValue.length; ) {
      const key = childValue[i];
      if (key !== null && typeof key !== "object" && Object.prototype.hasOwnProperty.call(mapping, String(key))) {
        lines[String(key)] = childLine[i];
        i += 2;
      } else {
        i += 1;
      }
    }
    return lines;
  };

  const itemLines = (sequence: object, start: number): number[] | undefined => {
    const count = childValue.length - start;
    if (!Array.isArray(sequence) || count !== sequence.length) return undefined;
    return childLine.slice(start);
  };

  try {
    loadAll(source, null, {
      filename: file,
      schema: kubernetesSchema,
      listener,
      // Not in @types/js-yaml, but js-yaml 4 honours it before descending.
      ...({ maxDepth: limits.maxDepth } as object),
    });
  } catch (error) {
    if (error instanceof LimitExceeded) return fail(error.line, error.message);
    if (error instanceof YAMLException) return fail(error.mark ? error.mark.line + 1 : 0, describeYamlError(error, source));
    if (error instanceof RangeError) return fail(0, `YAML is too deeply nested to read (${error.message})`);
    throw error;
  }

  const documents: YamlDocument[] = [];
  roots.forEach((root, index) => {
    if (root.value === null || root.value === undefined) return;
    documents.push({
      index,
      value: root.value,
      line: root.line,
      lineOf: (path) => lineOfPath(infos, root.value, root.line, path),
    });
  });
  return { ok: true, documents };
}

function lineOfPath(
  infos: WeakMap<object, NodeInfo>,
  root: unknown,
  rootLine: number,
  path: ReadonlyArray<string | number>,
): number {
  let node = root;
  let line = rootLine;
  for (const segment of path) {
    if (node === null || typeof node !== "object") break;
    const lines = infos.get(node)?.lines;
    const found = Array.isArray(lines) ? lines[Number(segment)] : lines?.[String(segment)];
    if (found !== undefined) line = found;
    node = (node as Record<string, unknown>)[segment];
  }
  return line;
}

function describeYamlError(error: YAMLException, source: string): string {
  const reason = error.reason || error.message;
  if (reason === "duplicated mapping key" && error.mark) {
    const rest = source.slice(error.mark.position, error.mark.position + 200);
    const key = rest.split(/:(\s|$)|\n/)[0]?.trim();
    return key ? `duplicate key "${key}"` : "duplicate key";
  }
  const depth = /^nesting exceeded maxDepth \((\d+)\)$/.exec(reason);
  if (depth) return `nesting deeper than ${depth[1]} levels (validation.limits.maxDepth)`;
  return `invalid YAML: ${reason}`;
}

function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line += 1;
  return line;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}
