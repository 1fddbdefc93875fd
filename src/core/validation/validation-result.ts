import type { ObjectRef } from "../object-identity.js";

/** What one check concluded about one object (or one file that did not load). */
export interface ValidationResult {
  status: "valid" | "invalid" | "error" | "skipped";
  severity: "error" | "warning" | "info";
  file: string;
  /** 1-based; 0 when the result is about a file or folder as a whole. */
  line: number;
  object?: Partial<ObjectRef>;
  /** `yaml`, `schema`, `schema/unknown-kind`, `structure/...`, `rule/<name>`; `valid` for a clean object. */
  check: string;
  message: string;
}

/** Every result for one environment, and how many objects were read. */
export interface EnvironmentValidation {
  environment: string;
  objects: number;
  results: ValidationResult[];
}
