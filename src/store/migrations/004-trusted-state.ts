import type { Migration } from "./migration.js";

/**
 * What Slipway must remember to trust only what was reviewed: the revert pull request it opened
 * for a rollback pin (only that one lifts the pin), and when each pull request head arrived (a
 * maintainer's `/plan` approves the head that existed when the comment was written).
 */
export const trustedState: Migration = {
  version: 4,
  name: "trusted-state",
  statements: [
    `ALTER TABLE environment_pins ADD COLUMN revert_pull_number integer`,
    `CREATE TABLE pull_request_heads (
       repository text NOT NULL,
       pull_number integer NOT NULL,
       head_sha text NOT NULL,
       pushed_at timestamptz NOT NULL,
       PRIMARY KEY (repository, pull_number, head_sha)
     )`,
  ],
};
