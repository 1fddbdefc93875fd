import { createHash } from "node:crypto";
import type { CommitInfo, FileChange } from "./git-repository.js";
import type {
  CheckRunState,
  CheckSuiteState,
  CommentState,
  DeploymentState,
  DeploymentStatusState,
  PullRequestState,
  ReactionState,
  RepositoryState,
  SimUser,
  StatusState,
} from "./simulator-state.js";

/** What every JSON builder needs to spell URLs and name the App. */
export interface JsonContext {
  apiUrl: string;
  app: AppIdentity;
}

export interface AppIdentity {
  id: number;
  slug: string;
  name: string;
  owner: SimUser;
  bot: SimUser;
  clientId: string;
  createdAt: string;
  permissions: Record<string, string>;
  events: string[];
}

const HTML = "https://github.com";

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`0:${kind}${id}`).toString("base64").replace(/=+$/, "");
}

export function userJson(ctx: JsonContext, user: SimUser) {
  const url = `${ctx.apiUrl}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type, user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: "",
    url,
    // Bot logins ("slipway[bot]") are not valid URL paths; GitHub links the App page instead.
    html_url: user.type === "Bot" ? `${HTML}/apps/${user.login.replace(/\[bot\]$/, "")}` : `${HTML}/${user.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

export function appJson(ctx: JsonContext) {
  const app = ctx.app;
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("App", app.id),
    client_id: app.clientId,
    owner: userJson(ctx, app.owner),
    name: app.name,
    description: "Slipway GitOps (simulated)",
    external_url: "https://slipway.example",
    html_url: `${HTML}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: app.permissions,
    events: app.events,
    installations_count: 1,
  };
}

export function installationJson(ctx: JsonContext, installationId: number, account: SimUser, createdAt: string) {
  return {
    id: installationId,
    account: userJson(ctx, account),
    repository_selection: "all" as const,
    access_tokens_url: `${ctx.apiUrl}/app/installations/${installationId}/access_tokens`,
    repositories_url: `${ctx.apiUrl}/installation/repositories`,
    html_url: `${HTML}/settings/installations/${installationId}`,
    app_id: ctx.app.id,
    app_slug: ctx.app.slug,
    client_id: ctx.app.clientId,
    target_id: account.id,
    target_type: account.type === "Organization" ? "Organization" : "User",
    permissions: ctx.app.permissions,
    events: ctx.app.events,
    created_at: createdAt,
    updated_at: createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** A repository object that satisfies `full-repository`, `repository` and the webhook shapes. */
export function repositoryJson(ctx: JsonContext, repo: RepositoryState, openIssues = 0) {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}`;
  const html = `${HTML}/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: userJson(ctx, repo.owner),
    html_url: html,
    description: null,
    fork: false,
    url,
    forks_url: `${url}/forks`,
    keys_url: `${url}/keys{/key_id}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    teams_url: `${url}/teams`,
    hooks_url: `${url}/hooks`,
    issue_events_url: `${url}/issues/events{/number}`,
    events_url: `${url}/events`,
    assignees_url: `${url}/assignees{/user}`,
    branches_url: `${url}/branches{/branch}`,
    tags_url: `${url}/tags`,
    blobs_url: `${url}/git/blobs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    trees_url: `${url}/git/trees{/sha}`,
    statuses_url: `${url}/statuses/{sha}`,
    languages_url: `${url}/languages`,
    stargazers_url: `${url}/stargazers`,
    contributors_url: `${url}/contributors`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    commits_url: `${url}/commits{/sha}`,
    git_commits_url: `${url}/git/commits{/sha}`,
    comments_url: `${url}/comments{/number}`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    contents_url: `${url}/contents/{+path}`,
    compare_url: `${url}/compare/{base}...{head}`,
    merges_url: `${url}/merges`,
    archive_url: `${url}/{archive_format}{/ref}`,
    downloads_url: `${url}/downloads`,
    issues_url: `${url}/issues{/number}`,
    pulls_url: `${url}/pulls{/number}`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    labels_url: `${url}/labels{/name}`,
    releases_url: `${url}/releases{/id}`,
    deployments_url: `${url}/deployments`,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    pushed_at: repo.pushedAt,
    git_url: `git://github.com/${repo.fullName}.git`,
    ssh_url: `git@github.com:${repo.fullName}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 1,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [] as string[],
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.defaultBranch,
    network_count: 0,
    subscribers_count: 0,
  };
}

/** The head repository of a PR from a fork: same name, owned by the PR author. */
export function forkRepositoryJson(ctx: JsonContext, repo: RepositoryState, forkOwner: SimUser) {
  const base = repositoryJson(ctx, repo);
  const fullName = `${forkOwner.login}/${repo.name}`;
  const id = repo.id + 500_000 + forkOwner.id;
  const rewrite = (value: unknown) => (typeof value === "string" ? value.split(repo.fullName).join(fullName) : value);
  const fork = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, rewrite(v)])) as typeof base;
  return {
    ...fork,
    id,
    node_id: nodeId("Repository", id),
    owner: userJson(ctx, forkOwner),
    full_name: fullName,
    fork: true,
  };
}

export function gitUserJson(identity: { name: string; email: string; date: string }) {
  return { name: identity.name, email: identity.email, date: new Date(identity.date).toISOString().replace(/\.\d{3}Z$/, "Z") };
}

export function verificationJson() {
  return { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };
}

/** `commit` schema (GET /repos/{owner}/{repo}/commits/{ref}, compare). */
export function commitJson(ctx: JsonContext, repo: RepositoryState, commit: CommitInfo, files?: FileChange[], authorUser?: SimUser | null) {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}`;
  const json: Record<string, unknown> = {
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    commit: {
      author: gitUserJson(commit.author),
      committer: gitUserJson(commit.committer),
      message: commit.message,
      tree: { sha: commit.tree, url: `${url}/git/trees/${commit.tree}` },
      url: `${url}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: verificationJson(),
    },
    url: `${url}/commits/${commit.sha}`,
    html_url: `${HTML}/${repo.fullName}/commit/${commit.sha}`,
    comments_url: `${url}/commits/${commit.sha}/comments`,
    author: authorUser ? userJson(ctx, authorUser) : null,
    committer: authorUser ? userJson(ctx, authorUser) : null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${url}/commits/${sha}`,
      html_url: `${HTML}/${repo.fullName}/commit/${sha}`,
    })),
  };
  if (files) {
    const additions = files.reduce((n, f) => n + f.additions, 0);
    const deletions = files.reduce((n, f) => n + f.deletions, 0);
    json.stats = { additions, deletions, total: additions + deletions };
    json.files = files.map((f) => diffEntryJson(ctx, repo, commit.sha, f));
  }
  return json;
}

/** `git-commit` schema (POST /repos/{owner}/{repo}/git/commits). */
export function gitCommitJson(ctx: JsonContext, repo: RepositoryState, commit: CommitInfo) {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}`;
  return {
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    url: `${url}/git/commits/${commit.sha}`,
    html_url: `${HTML}/${repo.fullName}/commit/${commit.sha}`,
    author: gitUserJson(commit.author),
    committer: gitUserJson(commit.committer),
    tree: { sha: commit.tree, url: `${url}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${url}/git/commits/${sha}`,
      html_url: `${HTML}/${repo.fullName}/commit/${sha}`,
    })),
    verification: verificationJson(),
  };
}

export function diffEntryJson(ctx: JsonContext, repo: RepositoryState, sha: string, file: FileChange) {
  const encoded = file.path.split("/").map(encodeURIComponent).join("/");
  const entry: Record<string, unknown> = {
    sha: file.sha,
    filename: file.path,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${HTML}/${repo.fullName}/blob/${sha}/${encoded}`,
    raw_url: `${HTML}/${repo.fullName}/raw/${sha}/${encoded}`,
    contents_url: `${ctx.apiUrl}/repos/${repo.fullName}/contents/${encoded}?ref=${sha}`,
  };
  if (file.patch !== undefined) entry.patch = file.patch;
  if (file.previousPath) entry.previous_filename = file.previousPath;
  return entry;
}

export function gitRefJson(ctx: JsonContext, repo: RepositoryState, fullRef: string, sha: string, type = "commit") {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}`;
  return {
    ref: fullRef,
    node_id: nodeId("Ref", `${repo.id}:${fullRef}`),
    url: `${url}/git/${fullRef}`,
    object: { type, sha, url: `${url}/git/${type}s/${sha}` },
  };
}

export function blobSha(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

function pullLinks(ctx: JsonContext, repo: RepositoryState, pr: PullRequestState, headSha: string) {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}`;
  return {
    self: { href: `${url}/pulls/${pr.number}` },
    html: { href: `${HTML}/${repo.fullName}/pull/${pr.number}` },
    issue: { href: `${url}/issues/${pr.number}` },
    comments: { href: `${url}/issues/${pr.number}/comments` },
    review_comments: { href: `${url}/pulls/${pr.number}/comments` },
    review_comment: { href: `${url}/pulls/comments{/number}` },
    commits: { href: `${url}/pulls/${pr.number}/commits` },
    statuses: { href: `${url}/statuses/${headSha}` },
  };
}

export interface PullRequestStats {
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  comments: number;
}

/** `pull-request` schema; also the base of webhook `pull_request` objects. */
export function pullRequestJson(ctx: JsonContext, repo: RepositoryState, pr: PullRequestState, stats: PullRequestStats) {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}`;
  const headOwner = pr.forkOwner ?? repo.owner;
  const headRepo = pr.forkOwner ? forkRepositoryJson(ctx, repo, pr.forkOwner) : repositoryJson(ctx, repo);
  return {
    url: `${url}/pulls/${pr.number}`,
    id: pr.id,
    node_id: nodeId("PullRequest", pr.id),
    html_url: `${HTML}/${repo.fullName}/pull/${pr.number}`,
    diff_url: `${HTML}/${repo.fullName}/pull/${pr.number}.diff`,
    patch_url: `${HTML}/${repo.fullName}/pull/${pr.number}.patch`,
    issue_url: `${url}/issues/${pr.number}`,
    commits_url: `${url}/pulls/${pr.number}/commits`,
    review_comments_url: `${url}/pulls/${pr.number}/comments`,
    review_comment_url: `${url}/pulls/comments{/number}`,
    comments_url: `${url}/issues/${pr.number}/comments`,
    statuses_url: `${url}/statuses/${pr.headSha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userJson(ctx, pr.author),
    body: pr.body,
    labels: [] as unknown[],
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha,
    assignee: null,
    assignees: [] as unknown[],
    requested_reviewers: [] as unknown[],
    requested_teams: [] as unknown[],
    head: {
      label: `${headOwner.login}:${pr.headRef}`,
      ref: pr.headRef,
      sha: pr.headSha,
      user: userJson(ctx, headOwner),
      repo: headRepo,
    },
    base: {
      label: `${repo.owner.login}:${pr.baseRef}`,
      ref: pr.baseRef,
      sha: pr.baseSha,
      user: userJson(ctx, repo.owner),
      repo: repositoryJson(ctx, repo),
    },
    _links: pullLinks(ctx, repo, pr, pr.headSha),
    author_association: authorAssociation(repo, pr.author),
    auto_merge: null,
    draft: pr.draft,
    merged: pr.merged,
    mergeable: pr.state === "open" ? pr.mergeable : null,
    rebaseable: pr.state === "open" ? pr.mergeable : null,
    mergeable_state: pr.state === "open" ? (pr.mergeable === false ? "dirty" : "clean") : "unknown",
    merged_by: pr.mergedBy ? userJson(ctx, pr.mergedBy) : null,
    comments: stats.comments,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: stats.commits,
    additions: stats.additions,
    deletions: stats.deletions,
    changed_files: stats.changedFiles,
  };
}

export function authorAssociation(repo: RepositoryState, user: SimUser): "OWNER" | "COLLABORATOR" | "CONTRIBUTOR" | "NONE" {
  if (user.login.toLowerCase() === repo.owner.login.toLowerCase()) return "OWNER";
  const role = repo.roles.get(user.login.toLowerCase());
  if (role && role !== "none") return "COLLABORATOR";
  return "NONE";
}

export function pullRequestMinimalJson(ctx: JsonContext, repo: RepositoryState, pr: PullRequestState) {
  const repoRef = { id: repo.id, url: `${ctx.apiUrl}/repos/${repo.fullName}`, name: repo.name };
  return {
    id: pr.id,
    number: pr.number,
    url: `${ctx.apiUrl}/repos/${repo.fullName}/pulls/${pr.number}`,
    head: { ref: pr.headRef, sha: pr.headSha, repo: repoRef },
    base: { ref: pr.baseRef, sha: pr.baseSha, repo: repoRef },
  };
}

export function checkSuiteRefJson(ctx: JsonContext, repo: RepositoryState, suite: CheckSuiteState) {
  return { id: suite.id };
}

export function checkRunJson(ctx: JsonContext, repo: RepositoryState, run: CheckRunState, pulls: PullRequestState[]) {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}`;
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId("CheckRun", run.id),
    external_id: run.externalId ?? "",
    url: `${url}/check-runs/${run.id}`,
    html_url: `${HTML}/${repo.fullName}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `https://slipway.example`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${url}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.suiteId },
    app: appJson(ctx),
    pull_requests: pulls.map((pr) => pullRequestMinimalJson(ctx, repo, pr)),
  };
}

export function issueCommentJson(ctx: JsonContext, repo: RepositoryState, comment: CommentState, reactions: ReactionState[]) {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}`;
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url: `${url}/issues/comments/${comment.id}`,
    html_url: `${HTML}/${repo.fullName}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: userJson(ctx, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${url}/issues/${comment.issueNumber}`,
    author_association: authorAssociation(repo, comment.user),
    performed_via_github_app: comment.viaApp ? appJson(comment.otherApp ? { ...ctx, app: comment.otherApp } : ctx) : null,
    reactions: reactionRollupJson(`${url}/issues/comments/${comment.id}/reactions`, reactions),
  };
}

export function reactionRollupJson(url: string, reactions: ReactionState[]) {
  const count = (content: string) => reactions.filter((r) => r.content === content).length;
  return {
    url,
    total_count: reactions.length,
    "+1": count("+1"),
    "-1": count("-1"),
    laugh: count("laugh"),
    hooray: count("hooray"),
    confused: count("confused"),
    heart: count("heart"),
    rocket: count("rocket"),
    eyes: count("eyes"),
  };
}

export function reactionJson(ctx: JsonContext, reaction: ReactionState) {
  return {
    id: reaction.id,
    node_id: nodeId("Reaction", reaction.id),
    user: userJson(ctx, reaction.user),
    content: reaction.content,
    created_at: reaction.createdAt,
  };
}

export function statusJson(ctx: JsonContext, repo: RepositoryState, status: StatusState) {
  return {
    url: `${ctx.apiUrl}/repos/${repo.fullName}/statuses/${status.sha}`,
    avatar_url: `https://avatars.githubusercontent.com/in/${ctx.app.id}?v=4`,
    id: status.id,
    node_id: nodeId("StatusContext", status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    creator: userJson(ctx, status.creator),
  };
}

export function deploymentJson(ctx: JsonContext, repo: RepositoryState, deployment: DeploymentState) {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}`;
  return {
    url: `${url}/deployments/${deployment.id}`,
    id: deployment.id,
    node_id: nodeId("Deployment", deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.originalEnvironment,
    environment: deployment.environment,
    description: deployment.description,
    creator: userJson(ctx, deployment.creator),
    created_at: deployment.createdAt,
    updated_at: deployment.updatedAt,
    statuses_url: `${url}/deployments/${deployment.id}/statuses`,
    repository_url: url,
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
    performed_via_github_app: appJson(ctx),
  };
}

export function deploymentStatusJson(ctx: JsonContext, repo: RepositoryState, status: DeploymentStatusState) {
  const url = `${ctx.apiUrl}/repos/${repo.fullName}`;
  return {
    url: `${url}/deployments/${status.deploymentId}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId("DeploymentStatus", status.id),
    state: status.state,
    creator: userJson(ctx, status.creator),
    description: status.description,
    environment: status.environment,
    target_url: status.targetUrl,
    log_url: status.logUrl,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    deployment_url: `${url}/deployments/${status.deploymentId}`,
    repository_url: url,
    environment_url: status.environmentUrl,
    performed_via_github_app: appJson(ctx),
  };
}

export function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}
