import { Ajv, type Options } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS: under NodeNext the default import is `module.exports`, whose
// `default` is the plugin.
const addFormats = addFormatsModule.default;

/** An ajv instance for GitHub's schemas: lenient about OpenAPI-only keywords, with formats. */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, allowUnionTypes: true, logger: false, ...options });
  addFormats(ajv);
  return ajv;
}

/**
 * GitHub documents some URLs as `format: uri` yet answers "" when they are unset
 * (deployment status target_url, log_url, environment_url), so responses accept "".
 */
export function createResponseAjv(): Ajv {
  const ajv = createAjv();
  ajv.addFormat("uri", (value: string) => value === "" || URL.canParse(value));
  return ajv;
}

/**
 * Webhook payloads carry bot commit emails such as `1+slipway[bot]@users.noreply.github.com`,
 * which GitHub really sends but the strict `email` format refuses.
 */
export function createWebhookAjv(): Ajv {
  const ajv = createAjv();
  ajv.addFormat("email", /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
  return ajv;
}
