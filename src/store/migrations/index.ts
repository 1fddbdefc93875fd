import { initial } from "./001-initial.js";
import { fencingTokens } from "./002-fencing-tokens.js";
import { commandReplies } from "./003-command-replies.js";
import { trustedState } from "./004-trusted-state.js";
import { pinFailedSha } from "./005-pin-failed-sha.js";
import type { Migration } from "./migration.js";

/** Every migration, in version order. Add new ones at the end. */
export const migrations: readonly Migration[] = [initial, fencingTokens, commandReplies, trustedState, pinFailedSha];
