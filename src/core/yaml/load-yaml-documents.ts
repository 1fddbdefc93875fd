import { loadAll, YAMLException, type State } from "js-yaml";
import { findInvalidUtf8 } from "./find-invalid-utf8.js";
import { indexYamlPositions, type LineOf } from "./index-yaml-positions.js";
import { kubernetesYamlSchema, mergeKeyMarker } from "./kubernetes-yaml-schema.js";

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
  /** Characters of keys and strings that alias uses may add in one file (a bomb of long strings stops here). */
  maxAliasExpansionBytes?: number;
}

export interface YamlLoadError {
  file: string;
  /** 1-based; 0 when the problem is the file as a whole. */
  line: number;
  message: string;
}

export type LoadYamlDocumentsResult = { ok: true; documents: YamlDocument[] } | { ok: false; error: YamlLoadError };

// Measured with the whole pipeline (load, validate, plan, diff): a file right under both bounds
// costs well under a second and 100 MB; real manifests reuse a few blocks of a few lines.
export const defaultMaxAliasExpansion = 100_000;
export const defaultMaxAliasExpansionBytes = 1_048_576;

class LimitExceeded extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Parses a multi-document YAML file with js-yaml and records where every key and sequence
 * item starts, so later checks can name a line. Bounded: file size, documents, nesting,
 * alias uses and alias expansion all end in an error, never a hang.
 */
export function loadYamlDocuments(text: string | Uint8Array, options: { file: string; limits: YamlLimits }): LoadYamlDocumentsResult {
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
  const maxAliasExpansionBytes = limits.maxAliasExpansionBytes ?? defaultMaxAliasExpansionBytes;
  const roots: Array<{ line: number; value: unknown }> = [];
  // Collections an alias used before they closed: if one closes later, it contains itself.
  const usedOpen = new Map<object, number>();
  const openLine: number[] = [];
  let depth = 0;
  let aliases = 0;
  let expansion = 0;
  let expansionBytes = 0;
  let mergeKeys = 0;

  // This pass only enforces the limits; positions are indexed later, if anything needs a line.
  const listener = (event: "open" | "close", state: State): void => {
    if (event === "open") {
      openLine[depth] = state.line + 1;
      depth += 1;
      return;
    }
    depth -= 1;
    const line = openLine[depth];
    const value: unknown = state.result;
    if (state.kind === "scalar") {
      if (typeof value === "number") checkNumber(value, (state as State & { tag: string | null }).tag, line);
      else if (value === mergeKeyMarker) mergeKeys += 1;
    } else if (mergeKeys > 0 && value !== null && typeof value === "object" && state.kind !== null) {
      applyMergeKeys(value, line);
    }
    if (state.kind === null && value !== null && value !== undefined) {
      // A node with no kind but a value is an alias (`*name`).
      aliases += 1;
      if (aliases > limits.maxAliases) {
        throw new LimitExceeded(line, `more than ${limits.maxAliases} YAML aliases in one file (validation.limits.maxAliases)`);
      }
      if (typeof value === "string") {
        expansionBytes += value.length;
        if (expansionBytes > maxAliasExpansionBytes) throw new LimitExceeded(line, bytesExceeded(maxAliasExpansionBytes));
      }
      if (typeof value === "object") {
        const { size, height, bytes } = measure(
          value,
          { nodes: maxAliasExpansion, bytes: maxAliasExpansionBytes },
          { nodes: expansion, bytes: expansionBytes },
          line,
        );
        expansion += size;
        expansionBytes += bytes;
        usedOpen.set(value, line);
        // The alias sits at parse depth `depth + 1`; its target adds `height - 1` levels below.
        if (depth + height > limits.maxDepth) {
          throw new LimitExceeded(line, `nesting deeper than ${limits.maxDepth} levels through aliases (validation.limits.maxDepth)`);
        }
      }
    } else if (usedOpen.size > 0 && value !== null && typeof value === "object" && usedOpen.get(value) !== undefined && state.kind !== null) {
      throw new LimitExceeded(usedOpen.get(value)!, "an alias refers to a node that contains it (recursive YAML structure)");
    }
    if (depth === 0) {
      roots.push({ line, value });
      if (roots.length > limits.maxDocumentsPerFile) {
        throw new LimitExceeded(line, `more than ${limits.maxDocumentsPerFile} YAML documents in one file (validation.limits.maxDocumentsPerFile)`);
      }
    }
  };

  try {
    loadAll(source, null, {
      filename: file,
      schema: kubernetesYamlSchema,
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

  let positions: Array<LineOf | undefined> | undefined;
  const documents: YamlDocument[] = [];
  roots.forEach((root, index) => {
    if (root.value === null || root.value === undefined) return;
    documents.push({
      index,
      value: root.value,
      line: root.line,
      lineOf: (path) => {
        positions ??= indexYamlPositions(source, limits.maxDepth);
        return positions[index]?.(path) ?? root.line;
      },
    });
  });
  return { ok: true, documents };
}

const intTag = "tag:yaml.org,2002:int";

// JSON has no infinity or NaN, so the API server refuses them; an integer past 2^53 would reach it changed.
function checkNumber(value: number, tag: string | null, line: number): void {
  if (!Number.isFinite(value)) {
    throw new LimitExceeded(
      line,
      `${value} (a YAML 1.1 float such as .inf or .nan) cannot be sent to the API server: JSON has no such number; quote it to make it a string`,
    );
  }
  if (tag === intTag && !Number.isSafeInteger(value)) {
    throw new LimitExceeded(line, `the integer ${BigInt(value)} is beyond 2^53, where Slipway cannot keep it exact; quote it if it is meant as a string`);
  }
}

/**
 * Merge keys (`<<`) in go-yaml's order: a merge sets its keys over those before it, later
 * keys override it, and in a list of merges the first wins. A `<<` that is a value stays "<<".
 */
function applyMergeKeys(node: object, line: number): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) if (node[i] === mergeKeyMarker) node[i] = "<<";
    return;
  }
  const mapping = node as Record<string, unknown>;
  if (!Object.values(mapping).includes(mergeKeyMarker) && !Object.prototype.hasOwnProperty.call(mapping, mergeKeyMarker)) return;
  const entries = Object.entries(mapping);
  for (const [key] of entries) delete mapping[key];
  const set = (key: string, value: unknown) => Object.defineProperty(mapping, key, { value, enumerable: true, writable: true, configurable: true });
  for (const [key, value] of entries) {
    if (key !== mergeKeyMarker) {
      set(key, value === mergeKeyMarker ? "<<" : value);
      continue;
    }
    const sources = Array.isArray(value) ? [...value].reverse() : [value];
    for (const source of sources) {
      if (source === null || typeof source !== "object" || Array.isArray(source)) {
        throw new LimitExceeded(line, "a merge key (<<) takes a mapping or a list of mappings");
      }
      for (const [mergedKey, mergedValue] of Object.entries(source)) set(mergedKey, mergedValue);
    }
  }
}

/**
 * Size (nodes, and characters of keys and strings) and height of a node an alias points at,
 * when the parser did not report it anchored: walked with a budget, and refusing a node that
 * contains itself.
 */
function measure(
  value: object,
  limit: { nodes: number; bytes: number },
  used: { nodes: number; bytes: number },
  line: number,
): { size: number; height: number; bytes: number } {
  const open = new Set<object>();
  let size = 0;
  let bytes = 0;
  const walk = (node: unknown): number => {
    size += 1;
    if (used.nodes + size > limit.nodes) throw new LimitExceeded(line, `YAML aliases expand to more than ${limit.nodes} nodes (alias bomb?)`);
    if (typeof node === "string") bytes += node.length;
    if (used.bytes + bytes > limit.bytes) throw new LimitExceeded(line, bytesExceeded(limit.bytes));
    if (node === null || typeof node !== "object") return 1;
    if (open.has(node)) throw new LimitExceeded(line, "an alias refers to a node that contains it (recursive YAML structure)");
    open.add(node);
    let height = 1;
    for (const [key, child] of Object.entries(node)) {
      if (!Array.isArray(node)) bytes += key.length;
      height = Math.max(height, walk(child) + 1);
    }
    open.delete(node);
    return height;
  };
  const height = walk(value);
  return { size, height, bytes };
}

function bytesExceeded(budget: number): string {
  return `YAML aliases expand to more than ${budget} characters (alias bomb?)`;
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
