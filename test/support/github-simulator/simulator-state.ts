import type { GitRepository } from "./git-repository.js";
import type { AppIdentity } from "./github-json.js";

export type RepositoryRole = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface SimUser {
  login: string;
  id: number;
  type: "User" | "Organization" | "Bot";
}

export interface PullRequestState {
  id: number;
  number: number;
  title: string;
  body: string | null;
  author: SimUser;
  /** Branch name in the head repository. */
  headRef: string;
  headSha: string;
  /** Set when the head lives in a fork owned by this user. */
  forkOwner?: SimUser;
  baseRef: string;
  baseSha: string;
  state: "open" | "closed";
  draft: boolean;
  merged: boolean;
  mergeCommitSha: string | null;
  mergeable: boolean | null;
  mergedBy: SimUser | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
}

export interface IssueState {
  number: number;
  id: number;
  title: string;
  author: SimUser;
  state: "open" | "closed";
  createdAt: string;
}

export interface CheckAnnotationState {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckSuiteState {
  id: number;
  headSha: string;
  headBranch: string | null;
  createdAt: string;
}

export interface CheckRunState {
  id: number;
  name: string;
  headSha: string;
  suiteId: number;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: CheckAnnotationState[];
  actions: Array<{ label: string; description: string; identifier: string }>;
  /** How many create/update requests touched this run; handy for asserting update counts. */
  writes: number;
}

export interface CommentState {
  id: number;
  issueNumber: number;
  body: string;
  user: SimUser;
  viaApp: boolean;
  /** The App that wrote it, when another App than the simulated one (another bot on the repository). */
  otherApp?: AppIdentity;
  createdAt: string;
  updatedAt: string;
}

export interface ReactionState {
  id: number;
  commentId: number;
  content: string;
  user: SimUser;
  createdAt: string;
}

export interface StatusState {
  id: number;
  sha: string;
  state: "error" | "failure" | "pending" | "success";
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: SimUser;
  createdAt: string;
}

export interface DeploymentStatusState {
  id: number;
  deploymentId: number;
  state: "error" | "failure" | "inactive" | "in_progress" | "queued" | "pending" | "success";
  description: string;
  targetUrl: string;
  logUrl: string;
  environment: string;
  environmentUrl: string;
  creator: SimUser;
  createdAt: string;
}

export interface DeploymentState {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  originalEnvironment: string;
  description: string | null;
  payload: Record<string, unknown> | string;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  creator: SimUser;
  createdAt: string;
  updatedAt: string;
  statuses: DeploymentStatusState[];
}

/** A merge queue's group: its pull requests merged in order on top of its base, on a temporary branch. */
export interface MergeGroupState {
  headSha: string;
  /** `refs/heads/gh-readonly-queue/<base>/pr-<n>-<base sha>`. */
  headRef: string;
  baseSha: string;
  /** `refs/heads/<base>`. */
  baseRef: string;
  pullNumbers: number[];
}

/** A pull request review; `commitId` is the head it was given on. */
export interface ReviewState {
  id: number;
  pullNumber: number;
  user: SimUser;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  body: string;
  commitId: string;
  submittedAt: string;
}

export interface RepositoryState {
  id: number;
  owner: SimUser;
  name: string;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  git: GitRepository;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  roles: Map<string, RepositoryRole>;
  nextIssueNumber: number;
  pulls: Map<number, PullRequestState>;
  issues: Map<number, IssueState>;
  comments: CommentState[];
  reactions: ReactionState[];
  checkSuites: CheckSuiteState[];
  checkRuns: CheckRunState[];
  statuses: StatusState[];
  deployments: DeploymentState[];
  mergeGroups: MergeGroupState[];
  reviews: ReviewState[];
  /** Branches a ruleset's pull_request rule covers with "dismiss stale approvals on push". */
  dismissStaleReviewsOn: Set<string>;
}

/** Everything the simulated GitHub knows, plus the id counters GitHub would own. */
export class SimulatorState {
  readonly repositories = new Map<string, RepositoryState>();
  readonly users = new Map<string, SimUser>();
  /** `org/team` (lowercase) to the logins (lowercase) of its active members. */
  readonly teams = new Map<string, Set<string>>();
  private nextId = 1000;

  newId(): number {
    return this.nextId++;
  }

  user(login: string, type: SimUser["type"] = "User"): SimUser {
    let user = this.users.get(login.toLowerCase());
    if (!user) {
      user = { login, id: this.newId(), type };
      this.users.set(login.toLowerCase(), user);
    }
    return user;
  }

  repository(owner: string, name: string): RepositoryState | undefined {
    return this.repositories.get(`${owner}/${name}`.toLowerCase());
  }
}
