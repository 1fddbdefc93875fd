import { ENVIRONMENT_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE, SOURCE_SHA_ANNOTATION } from "./slipway-labels.js";

/**
 * The object as Slipway applies it: its own labels and annotations plus Slipway's labels
 * (managed-by, environment) and, when given, the source SHA annotation. Planning applies the
 * same object as deploying, so the plan shows these labels being added where they are missing.
 */
export function withSlipwayMetadata<T extends Record<string, unknown>>(object: T, params: { environmentId: string; sourceSha?: string }): T {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const labels = { ...((metadata.labels ?? {}) as Record<string, string>), [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [ENVIRONMENT_LABEL]: params.environmentId };
  const annotations = params.sourceSha
    ? { ...((metadata.annotations ?? {}) as Record<string, string>), [SOURCE_SHA_ANNOTATION]: params.sourceSha }
    : metadata.annotations;
  return { ...object, metadata: { ...metadata, labels, ...(annotations === undefined ? {} : { annotations }) } };
}
