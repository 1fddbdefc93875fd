/** One difference between the trusted configuration and the one a pull request proposes. */
export type ConfigChangeItem =
  | { kind: "environment-added"; environment: string; settings: Readonly<Record<string, unknown>> }
  | { kind: "environment-removed"; environment: string }
  /** `environment` is absent for settings outside any environment (`validation.*`, `commands.*`). */
  | { kind: "setting-changed"; environment?: string; setting: string; before: unknown; after: unknown; risk?: string };

/** What a pull request's `.github/slipway.yml` would change once merged; empty when nothing. */
export interface ConfigChange {
  items: ConfigChangeItem[];
}
