import { FAILSAFE_SCHEMA, Type } from "js-yaml";

// The API server reads YAML with go-yaml v2 (YAML 1.1, through sigs.k8s.io/yaml) into JSON.
// Plain scalars resolve here exactly as go-yaml v2's `resolve` does, so a manifest means to
// Slipway what it means to Kubernetes: `0644` is octal (420), `1_200` is 1200, `y`/`n`,
// `yes`/`no`, `on`/`off` are booleans, `08` is the float 8, timestamps stay strings.

type Resolved = { tag: "null" | "bool" | "int" | "float" | "str"; value: unknown };

const goYamlWords: Record<string, Resolved> = Object.fromEntries([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].map((word) => [word, { tag: "bool", value: true }]),
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"].map((word) => [word, { tag: "bool", value: false }]),
  ...["", "~", "null", "Null", "NULL"].map((word) => [word, { tag: "null", value: null }]),
  ...[".nan", ".NaN", ".NAN"].map((word) => [word, { tag: "float", value: Number.NaN }]),
  ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map((word) => [word, { tag: "float", value: Number.POSITIVE_INFINITY }]),
  ...["-.inf", "-.Inf", "-.INF"].map((word) => [word, { tag: "float", value: Number.NEGATIVE_INFINITY }]),
]);

const string: Resolved = { tag: "str", value: undefined };
// go-yaml's yamlStyleFloat: what it hands to strconv.ParseFloat after the integers failed.
const yamlStyleFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
// strconv.ParseFloat of a scalar starting with '.': digits, underscores only between digits.
const dotFloat = /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
const uint64Max = 2n ** 64n - 1n;

let lastText: string | undefined;
let lastResolved: Resolved = string;

/** What go-yaml v2 makes of a plain (unquoted) scalar. */
export function resolveGoYamlScalar(text: string): Resolved {
  if (text === lastText) return lastResolved;
  lastText = text;
  lastResolved = resolve(text);
  return lastResolved;
}

function resolve(text: string): Resolved {
  const first = text.charCodeAt(0);
  // go-yaml's hint table: only these first characters can make anything but a string.
  const digit = first >= 0x30 && first <= 0x39;
  const sign = first === 0x2b || first === 0x2d;
  const dot = first === 0x2e;
  if (!digit && !sign && !dot && text.length > 5) return string;
  const word = Object.prototype.hasOwnProperty.call(goYamlWords, text) ? goYamlWords[text] : undefined;
  if (word !== undefined) return word;
  if (dot) {
    if (!dotFloat.test(text)) return string;
    const value = Number(text.replace(/_/g, ""));
    return Number.isFinite(value) ? { tag: "float", value } : string;
  }
  if (!digit && !sign) return string;
  // Timestamps resolve to their own text, like any string, for an untyped target.
  const plain = text.includes("_") ? text.replace(/_/g, "") : text;
  const integer = parseGoInteger(plain);
  if (integer !== undefined) {
    if (integer >= int64Min && integer <= int64Max) return { tag: "int", value: Number(integer) };
    if (integer >= 0n && integer <= uint64Max && !sign) return { tag: "int", value: Number(integer) };
  }
  if (yamlStyleFloat.test(plain)) {
    const value = Number(plain);
    // strconv.ParseFloat fails out of range; the scalar then stays a string.
    if (Number.isFinite(value)) return { tag: "float", value };
  }
  return string;
}

/** strconv.ParseInt(s, 0, 64)'s syntax, without its range: sign, then 0x, 0o, 0b, leading-0 octal or decimal. */
function parseGoInteger(text: string): bigint | undefined {
  let body = text;
  let negative = false;
  if (body.startsWith("+") || body.startsWith("-")) {
    negative = body.startsWith("-");
    body = body.slice(1);
  }
  let digits: string;
  let prefix: string;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) [prefix, digits] = ["0x", body.slice(2)];
  else if (/^0[oO][0-7]+$/.test(body)) [prefix, digits] = ["0o", body.slice(2)];
  else if (/^0[bB][01]+$/.test(body)) [prefix, digits] = ["0b", body.slice(2)];
  else if (/^0[0-7]+$/.test(body)) [prefix, digits] = ["0o", body.slice(1)];
  else if (/^[0-9]+$/.test(body)) [prefix, digits] = ["", body];
  else return undefined;
  const magnitude = BigInt(`${prefix}${digits}`);
  return negative ? -magnitude : magnitude;
}

const scalarType = (tag: Resolved["tag"]) =>
  new Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (data: string | null) => (data === null ? tag === "null" : resolveGoYamlScalar(data).tag === tag),
    construct: (data: string | null) => (data === null ? null : resolveGoYamlScalar(data).value),
  });

/**
 * Stands for a merge key (`<<`) until its mapping closes; loadYamlDocuments then merges in
 * document order, as go-yaml does (a merge overrides the keys before it, the keys after it
 * override the merge), which is not js-yaml's order.
 */
export const mergeKeyMarker = "\u0000<<";
const mergeKey = new Type("tag:slipway.dev,2026:merge", {
  kind: "scalar",
  resolve: (data: string | null) => data === "<<",
  construct: () => mergeKeyMarker,
});

export const kubernetesYamlSchema = FAILSAFE_SCHEMA.extend({
  implicit: [scalarType("null"), scalarType("bool"), scalarType("int"), scalarType("float"), mergeKey],
});
