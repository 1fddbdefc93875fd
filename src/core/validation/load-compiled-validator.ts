import type { ValidateFunction } from "ajv";
import equal from "ajv/dist/runtime/equal.js";
import ucs2length from "ajv/dist/runtime/ucs2length.js";
import uri from "ajv/dist/runtime/uri.js";
import validationError from "ajv/dist/runtime/validation_error.js";

// What ajv's standalone code may require, served from this bundle rather than from disk.
const runtime: Record<string, unknown> = {
  "ajv/dist/runtime/equal": equal,
  "ajv/dist/runtime/ucs2length": ucs2length,
  "ajv/dist/runtime/uri": uri,
  "ajv/dist/runtime/validation_error": validationError,
};

/**
 * Turns ajv's standalone code for one validator (as compiled in an earlier run) back into the
 * function; undefined if the code does not run or does not give one, so the caller compiles.
 */
export function loadCompiledValidator(code: string): ValidateFunction | undefined {
  try {
    const module = { exports: {} as Record<string, unknown> };
    const require = (name: string) => {
      if (!Object.prototype.hasOwnProperty.call(runtime, name)) throw new Error(`unexpected module ${name}`);
      return runtime[name];
    };
    new Function("module", "exports", "require", code)(module, module.exports, require);
    const validate = module.exports.default ?? module.exports;
    return typeof validate === "function" ? (validate as ValidateFunction) : undefined;
  } catch {
    return undefined;
  }
}
