export {
  GitHubSimulator,
  startGitHubSimulator,
  type AssertNoViolationsOptions,
  type MergeResult,
  type RepoRef,
  type RepositoryHandle,
  type StartGitHubSimulatorOptions,
} from "./start-github-simulator.js";
export type { FaultRule } from "./fault-injector.js";
export type { RequestRecord, Violation, ViolationKind } from "./simulator-core.js";
export type {
  CheckAnnotationState,
  CheckRunState,
  CommentState,
  DeploymentState,
  DeploymentStatusState,
  PullRequestState,
  ReactionState,
  RepositoryRole,
  RepositoryState,
  StatusState,
} from "./simulator-state.js";
export type { SendWebhookOptions, SignatureMode, WebhookDelivery } from "./webhook-sender.js";
export type { Truthy, WaitForOptions } from "./wait-for.js";
