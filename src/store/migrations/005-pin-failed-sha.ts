import type { Migration } from "./migration.js";

/**
 * The commit an automatic rollback pulled an environment back from, as a column: the pin it sets
 * holds only that commit. Pins set before it said so only in their reason, which is read once here.
 */
export const pinFailedSha: Migration = {
  version: 5,
  name: "pin-failed-sha",
  statements: [
    `ALTER TABLE environment_pins ADD COLUMN failed_sha text`,
    `UPDATE environment_pins SET failed_sha = substring(reason FROM '\\m[0-9a-f]{40}\\M') WHERE pinned_by = 'slipway'`,
  ],
};
