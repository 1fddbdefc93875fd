type JsonSchema = { enum?: readonly unknown[]; properties?: Record<string, JsonSchema>; additionalProperties?: JsonSchema | boolean; items?: JsonSchema };

const words = new Map<boolean, readonly string[]>([
  [false, ["off", "no", "n", "false"]],
  [true, ["on", "yes", "y", "true"]],
]);

/**
 * YAML 1.1 reads an unquoted `off` (or `on`, `yes`, `no`) as a boolean; where the schema asks
 * for one of a few words and one of them is such a word, the boolean is taken as that word, so
 * `imageTag: off` means what it says. Returns the value with those booleans replaced.
 */
export function booleansAsEnumWords(value: unknown, jsonSchema: object | undefined): unknown {
  if (jsonSchema === undefined) return value;
  const schema = jsonSchema as JsonSchema;
  if (typeof value === "boolean" && schema.enum && !schema.enum.includes(value)) {
    const word = words.get(value)!.find((candidate) => schema.enum!.includes(candidate));
    return word ?? value;
  }
  if (Array.isArray(value)) {
    if (typeof schema.items !== "object") return value;
    return value.map((item) => booleansAsEnumWords(item, schema.items));
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const child = schema.properties?.[key] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
      const replaced = booleansAsEnumWords(record[key], child);
      if (replaced !== record[key]) record[key] = replaced;
    }
  }
  return value;
}
