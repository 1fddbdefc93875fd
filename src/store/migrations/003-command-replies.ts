import type { Migration } from "./migration.js";

/** When Slipway last answered a `/help` or a usage reply on a pull request, per command. */
export const commandReplies: Migration = {
  version: 3,
  name: "command-replies",
  statements: [
    `CREATE TABLE command_replies (
       key text PRIMARY KEY,
       replied_at timestamptz NOT NULL DEFAULT now()
     )`,
  ],
};
