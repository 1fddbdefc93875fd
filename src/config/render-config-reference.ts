import { repoConfigSchema } from "../core/config/repo-config-schema.js";

interface SchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: readonly unknown[];
  pattern?: string;
  format?: string;
  required?: readonly string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/**
 * README's configuration reference, rendered from the schema so the two cannot disagree:
 * one row per setting, with its type, default and meaning.
 */
export function renderConfigReference(): string {
  const rows: string[] = [];
  const root: SchemaNode = repoConfigSchema;
  walk(root, "", rows, root.required ?? []);
  return ["| Setting | Type | Default | Meaning |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

function walk(node: SchemaNode, path: string, rows: string[], required: readonly string[]): void {
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const childPath = path ? `${path}.${name}` : name;
    const isRequired = required.includes(name);
    rows.push(`| \`${childPath}\` | ${typeOf(child)} | ${isRequired ? "required" : defaultOf(child)} | ${child.description ?? ""} |`);
    if (child.type === "object") walk(child, childPath, rows, child.required ?? []);
    if (child.type === "array" && child.items?.type === "object") walk(child.items, `${childPath}[]`, rows, child.items.required ?? []);
  }
}

function typeOf(node: SchemaNode): string {
  if (node.enum) return node.enum.map((value) => `\`${String(value)}\``).join(" \\| ");
  if (node.type === "array") return `list of ${node.items?.type === "object" ? "objects" : `${node.items?.type ?? "values"}s`}`;
  if (node.format === "uri") return "URL";
  if (node.pattern === "^[0-9]+(s|m|h)$") return "duration";
  return node.type ?? "any";
}

function defaultOf(node: SchemaNode): string {
  if (node.default === undefined) return "—";
  if (typeof node.default === "object") return Array.isArray(node.default) && node.default.length === 0 ? "`[]`" : "—";
  return `\`${String(node.default)}\``;
}
