import type { CommandName } from "./slipway-command.js";

/** How each command is written and what it does, as `/help` and usage replies show it. */
export const commandUsage: Record<CommandName, { usage: string; summary: string }> = {
  plan: {
    usage: "/plan [environment]",
    summary:
      "Plan now against the live cluster: the environments this pull request touches, or the one named. On a pull request from a fork, this is how a maintainer turns the offline plan into a live one.",
  },
  rollback: {
    usage: "/rollback [environment] [to <sha>]",
    summary: "Deploy an earlier commit (by default the one deployed before the current one) and pin the environment to it.",
  },
  deploy: {
    usage: "/deploy [environment]",
    summary:
      "Deploy the head of the environment's branch now, even when it did not come through the review the environment requires; who asked, and when, is recorded on the deployment.",
  },
  lock: {
    usage: "/lock [environment]",
    summary: "Hold the environment for this pull request: nothing else deploys to it until it is unlocked.",
  },
  unlock: {
    usage: "/unlock [environment]",
    summary: "Release the environment's lock.",
  },
  help: {
    usage: "/help",
    summary: "Show this help: the commands, who may run them, and each environment's pin and lock.",
  },
};
