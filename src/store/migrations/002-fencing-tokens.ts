import type { Migration } from "./migration.js";

export const fencingTokens: Migration = {
  version: 2,
  name: "fencing tokens",
  statements: [
    // Grows by one on every claim of a job: a replica's writes carry the token of its claim, and
    // the store refuses them once another claim (a takeover) has moved it on.
    `ALTER TABLE jobs ADD COLUMN fencing_token bigint NOT NULL DEFAULT 0`,
  ],
};
