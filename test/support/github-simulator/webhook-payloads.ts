import type { CommitInfo } from "./git-repository.js";
import {
  appJson,
  checkRunJson,
  issueCommentJson,
  nodeId,
  pullRequestJson,
  repositoryJson,
  userJson,
  type JsonContext,
  type PullRequestStats,
} from "./github-json.js";
import type {
  CheckRunState,
  CheckSuiteState,
  CommentState,
  IssueState,
  MergeGroupState,
  PullRequestState,
  RepositoryState,
  SimUser,
} from "./simulator-state.js";

const HTML = "https://github.com";

function envelope(ctx: JsonContext, repo: RepositoryState, sender: SimUser, installationId: number) {
  return {
    repository: repositoryJson(ctx, repo),
    sender: userJson(ctx, sender),
    installation: { id: installationId, node_id: nodeId("Installation", installationId) },
  };
}

export function pullRequestPayload(params: {
  ctx: JsonContext;
  repo: RepositoryState;
  pr: PullRequestState;
  stats: PullRequestStats;
  action: string;
  sender: SimUser;
  installationId: number;
  before?: string;
}) {
  const { ctx, repo, pr } = params;
  const payload: Record<string, unknown> = {
    action: params.action,
    number: pr.number,
    pull_request: pullRequestJson(ctx, repo, pr, params.stats),
    ...envelope(ctx, repo, params.sender, params.installationId),
  };
  if (params.action === "synchronize") {
    payload.before = params.before;
    payload.after = pr.headSha;
  }
  return payload;
}

export interface PushedCommit {
  info: CommitInfo;
  added: string[];
  removed: string[];
  modified: string[];
}

/** A check suite's or merge group's `head_commit`: the commit without the push-only fields. */
function headCommitJson(commit: CommitInfo) {
  return {
    id: commit.sha,
    tree_id: commit.tree,
    message: commit.message,
    timestamp: commit.committer.date,
    author: { name: commit.author.name, email: commit.author.email },
    committer: { name: commit.committer.name, email: commit.committer.email },
  };
}

function pushCommitJson(repo: RepositoryState, commit: PushedCommit, distinct: boolean) {
  return {
    id: commit.info.sha,
    tree_id: commit.info.tree,
    distinct,
    message: commit.info.message,
    timestamp: commit.info.committer.date,
    url: `${HTML}/${repo.fullName}/commit/${commit.info.sha}`,
    author: { name: commit.info.author.name, email: commit.info.author.email },
    committer: { name: commit.info.committer.name, email: commit.info.committer.email },
    added: commit.added,
    removed: commit.removed,
    modified: commit.modified,
  };
}

export function pushPayload(params: {
  ctx: JsonContext;
  repo: RepositoryState;
  ref: string;
  before: string;
  after: string;
  commits: PushedCommit[];
  forced: boolean;
  pusher: SimUser;
  sender: SimUser;
  installationId: number;
}) {
  const { ctx, repo } = params;
  const zero = "0".repeat(40);
  const base = envelope(ctx, repo, params.sender, params.installationId);
  const created = params.before === zero;
  const deleted = params.after === zero;
  const commits = params.commits.map((c) => pushCommitJson(repo, c, true));
  return {
    ref: params.ref,
    before: params.before,
    after: params.after,
    // Push payloads spell the repository a little differently (epoch seconds, owner name/email).
    repository: {
      ...base.repository,
      created_at: Math.floor(new Date(repo.createdAt).getTime() / 1000),
      pushed_at: Math.floor(new Date(repo.pushedAt).getTime() / 1000),
      owner: { ...base.repository.owner, name: repo.owner.login, email: null },
      stargazers: 0,
      master_branch: repo.defaultBranch,
      ...(repo.owner.type === "Organization" ? { organization: repo.owner.login } : {}),
    },
    pusher: { name: params.pusher.login, email: `${params.pusher.id}+${params.pusher.login}@users.noreply.github.com` },
    sender: base.sender,
    installation: base.installation,
    created,
    deleted,
    forced: params.forced,
    base_ref: null,
    compare: created
      ? `${HTML}/${repo.fullName}/commit/${params.after.slice(0, 12)}`
      : `${HTML}/${repo.fullName}/compare/${params.before.slice(0, 12)}...${params.after.slice(0, 12)}`,
    commits,
    head_commit: commits.length > 0 ? commits[commits.length - 1] : null,
  };
}

export function issueJson(ctx: JsonContext, repo: RepositoryState, issue: IssueState, pr: PullRequestState | undefined, commentCount: number) {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}/issues/${issue.number}`;
  const json: Record<string, unknown> = {
    url,
    repository_url: `${ctx.apiUrl}/repos/${repo.fullName}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${HTML}/${repo.fullName}/${pr ? "pull" : "issues"}/${issue.number}`,
    id: issue.id,
    node_id: nodeId(pr ? "PullRequest" : "Issue", issue.id),
    number: issue.number,
    title: issue.title,
    user: userJson(ctx, issue.author),
    labels: [],
    state: issue.state,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: commentCount,
    created_at: issue.createdAt,
    updated_at: issue.createdAt,
    closed_at: null,
    author_association: "NONE",
    active_lock_reason: null,
    body: null,
    reactions: {
      url: `${url}/reactions`,
      total_count: 0,
      "+1": 0,
      "-1": 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    },
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
    state_reason: null,
  };
  if (pr) {
    json.draft = pr.draft;
    json.pull_request = {
      url: `${ctx.apiUrl}/repos/${repo.fullName}/pulls/${pr.number}`,
      html_url: `${HTML}/${repo.fullName}/pull/${pr.number}`,
      diff_url: `${HTML}/${repo.fullName}/pull/${pr.number}.diff`,
      patch_url: `${HTML}/${repo.fullName}/pull/${pr.number}.patch`,
      merged_at: pr.mergedAt,
    };
  }
  return json;
}

export function issueCommentPayload(params: {
  ctx: JsonContext;
  repo: RepositoryState;
  issue: IssueState;
  pr: PullRequestState | undefined;
  comment: CommentState;
  commentCount: number;
  sender: SimUser;
  installationId: number;
}) {
  const { ctx, repo } = params;
  const issue = issueJson(ctx, repo, params.issue, params.pr, params.commentCount);
  issue.author_association = issueCommentJson(ctx, repo, params.comment, []).author_association;
  return {
    action: "created",
    issue,
    comment: issueCommentJson(ctx, repo, params.comment, []),
    ...envelope(ctx, repo, params.sender, params.installationId),
  };
}

function checkSuiteJson(
  ctx: JsonContext,
  repo: RepositoryState,
  suite: CheckSuiteState,
  runs: CheckRunState[],
  pulls: PullRequestState[],
  headCommit: CommitInfo,
) {
  const completed = runs.length > 0 && runs.every((r) => r.status === "completed");
  const conclusions = runs.map((r) => r.conclusion);
  const conclusion = !completed
    ? null
    : conclusions.includes("failure")
      ? "failure"
      : conclusions.includes("action_required")
        ? "action_required"
        : conclusions.includes("cancelled")
          ? "cancelled"
          : conclusions.includes("timed_out")
            ? "timed_out"
            : "success";
  const url = `${ctx.apiUrl}/repos/${repo.fullName}`;
  const runJson = runs.length > 0 ? checkRunJson(ctx, repo, runs[0]!, pulls) : undefined;
  return {
    id: suite.id,
    node_id: nodeId("CheckSuite", suite.id),
    head_branch: suite.headBranch,
    head_sha: suite.headSha,
    status: completed ? "completed" : runs.length > 0 ? "in_progress" : "queued",
    conclusion,
    url: `${url}/check-suites/${suite.id}`,
    before: headCommit.parents[0] ?? null,
    after: suite.headSha,
    pull_requests:
      runJson?.pull_requests ??
      pulls.map((pr) => ({
        id: pr.id,
        number: pr.number,
        url: `${url}/pulls/${pr.number}`,
        head: { ref: pr.headRef, sha: pr.headSha, repo: { id: repo.id, url, name: repo.name } },
        base: { ref: pr.baseRef, sha: pr.baseSha, repo: { id: repo.id, url, name: repo.name } },
      })),
    app: appJson(ctx),
    created_at: suite.createdAt,
    updated_at: suite.createdAt,
    latest_check_runs_count: runs.length,
    check_runs_url: `${url}/check-suites/${suite.id}/check-runs`,
    rerequestable: true,
    runs_rerequestable: false,
    head_commit: headCommitJson(headCommit),
  };
}

export function checkRunPayload(params: {
  ctx: JsonContext;
  repo: RepositoryState;
  run: CheckRunState;
  suite: CheckSuiteState;
  suiteRuns: CheckRunState[];
  pulls: PullRequestState[];
  headCommit: CommitInfo;
  action: string;
  sender: SimUser;
  installationId: number;
}) {
  const { ctx, repo } = params;
  const run = checkRunJson(ctx, repo, params.run, params.pulls);
  return {
    action: params.action,
    check_run: {
      ...run,
      check_suite: checkSuiteJson(ctx, repo, params.suite, params.suiteRuns, params.pulls, params.headCommit),
    },
    ...envelope(ctx, repo, params.sender, params.installationId),
  };
}

export function checkSuitePayload(params: {
  ctx: JsonContext;
  repo: RepositoryState;
  suite: CheckSuiteState;
  suiteRuns: CheckRunState[];
  pulls: PullRequestState[];
  headCommit: CommitInfo;
  action: string;
  sender: SimUser;
  installationId: number;
}) {
  const { ctx, repo } = params;
  return {
    action: params.action,
    check_suite: checkSuiteJson(ctx, repo, params.suite, params.suiteRuns, params.pulls, params.headCommit),
    ...envelope(ctx, repo, params.sender, params.installationId),
  };
}

export function mergeGroupPayload(params: {
  ctx: JsonContext;
  repo: RepositoryState;
  group: MergeGroupState;
  headCommit: CommitInfo;
  action: "checks_requested" | "destroyed";
  reason?: "merged" | "invalidated" | "dequeued";
  sender: SimUser;
  installationId: number;
}) {
  const { ctx, repo, group, headCommit } = params;
  return {
    action: params.action,
    ...(params.reason ? { reason: params.reason } : {}),
    merge_group: {
      head_sha: group.headSha,
      head_ref: group.headRef,
      base_sha: group.baseSha,
      base_ref: group.baseRef,
      head_commit: headCommitJson(headCommit),
    },
    ...envelope(ctx, repo, params.sender, params.installationId),
  };
}
