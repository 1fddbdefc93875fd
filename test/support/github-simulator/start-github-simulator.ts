import { createSign, randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { startApiServer } from "./api-server.js";
import { FaultInjector, type FaultRule } from "./fault-injector.js";
import { isoNow, type AppIdentity } from "./github-json.js";
import { appRoutes } from "./routes/app-routes.js";
import { checkRoutes } from "./routes/check-routes.js";
import { deploymentRoutes } from "./routes/deployment-routes.js";
import { gitRoutes } from "./routes/git-routes.js";
import { issueRoutes } from "./routes/issue-routes.js";
import { createPullRequest, pullRoutes } from "./routes/pull-routes.js";
import { repositoryRoutes } from "./routes/repository-routes.js";
import { reviewRoutes } from "./routes/review-routes.js";
import { statusRoutes } from "./routes/status-routes.js";
import { SimulatorCore, type RequestRecord, type Violation } from "./simulator-core.js";
import type {
  CheckRunState,
  CommentState,
  DeploymentState,
  DeploymentStatusState,
  MergeGroupState,
  PullRequestState,
  ReactionState,
  SimUser,
  RepositoryRole,
  RepositoryState,
  StatusState,
} from "./simulator-state.js";
import { waitFor, type Truthy, type WaitForOptions } from "./wait-for.js";
import { issueCommentPayload, mergeGroupPayload } from "./webhook-payloads.js";
import type { SendWebhookOptions, WebhookDelivery } from "./webhook-sender.js";

export interface StartGitHubSimulatorOptions {
  /** Where webhooks go (the App's webhook endpoint); can be set later with setWebhookUrl. */
  webhookUrl?: string;
  appId?: number;
  appSlug?: string;
  /** Account (organization) the App is installed on; default owner of new repositories. */
  account?: string;
  webhookSecret?: string;
  /** Check every 2xx JSON answer of the simulator against GitHub's response schema (default true). */
  validateResponses?: boolean;
}

export interface RepositoryHandle {
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
}

/** A repository handle or its "owner/name". */
export type RepoRef = RepositoryHandle | string;

export interface AssertNoViolationsOptions {
  /** Violations the test expects (e.g. a deliberate bad request). */
  ignore?: (violation: Violation) => boolean;
}

export interface MergeResult {
  sha: string;
  closed: WebhookDelivery;
  push: WebhookDelivery;
}

/** The simulated GitHub: API on `url`, webhooks to the App, state for assertions. */
export class GitHubSimulator {
  readonly appId: number;
  readonly appSlug: string;
  readonly privateKey: string;
  readonly webhookSecret: string;
  readonly installationId: number;
  /** Login of the App's bot user (author of its comments, check runs, deployments). */
  readonly botLogin: string;
  /** Login of the account the App is installed on. */
  readonly account: string;

  constructor(
    private readonly core: SimulatorCore,
    private readonly server: Server,
    readonly url: string,
    webhookSecret: string,
    private readonly faults: FaultInjector = new FaultInjector(),
  ) {
    this.appId = core.ctx.app.id;
    this.appSlug = core.ctx.app.slug;
    this.privateKey = core.credentials.privateKey;
    this.webhookSecret = webhookSecret;
    this.installationId = core.installationId;
    this.botLogin = core.bot.login;
    this.account = core.installationAccount.login;
  }

  setWebhookUrl(url: string): void {
    this.core.webhooks.url = url;
  }

  /** The next `times` API requests matching the rule fail (a 5xx outage, a secondary rate limit). */
  failNext(rule: FaultRule): void {
    this.faults.add(rule);
  }

  /** Lists at most `limit` entries of a tree, then says `truncated` (GitHub's limit is 100,000), to test huge repositories cheaply. */
  setTreeEntryLimit(limit: number): void {
    this.core.treeEntryLimit = limit;
  }

  /** Requests answered with an injected fault. */
  get injectedFaults(): ReadonlyArray<{ method: string; path: string; status: number }> {
    return this.faults.injected;
  }

  // ---- repositories and git ----

  async createRepository(params: {
    name: string;
    owner?: string;
    defaultBranch?: string;
    files?: Record<string, string>;
    private?: boolean;
  }): Promise<RepositoryHandle> {
    const repo = await this.core.createRepository({
      owner: params.owner ?? this.account,
      name: params.name,
      defaultBranch: params.defaultBranch ?? "main",
      private: params.private ?? false,
      files: params.files ?? {},
    });
    return handle(repo);
  }

  /** Commits without any webhook (test setup). `null` deletes a file. Creates the branch from `from` (default branch) if missing. */
  async commit(params: {
    repo: RepoRef;
    branch?: string;
    files: Record<string, string | null>;
    message?: string;
    author?: string;
    from?: string;
  }): Promise<string> {
    const repo = this.repoState(params.repo);
    const { after } = await this.core.commitFiles({
      repo,
      branch: params.branch ?? repo.defaultBranch,
      files: params.files,
      message: params.message ?? "Update files",
      author: this.core.state.user(params.author ?? repo.owner.login),
      from: params.from,
    });
    return after;
  }

  /** Commits and sends the `push` webhook, as a `git push` would. */
  async push(params: {
    repo: RepoRef;
    branch?: string;
    files: Record<string, string | null>;
    message?: string;
    author?: string;
  }): Promise<{ sha: string; before: string; delivery: WebhookDelivery }> {
    const repo = this.repoState(params.repo);
    const author = this.core.state.user(params.author ?? repo.owner.login);
    const branch = params.branch ?? repo.defaultBranch;
    const { before, after } = await this.core.commitFiles({
      repo,
      branch,
      files: params.files,
      message: params.message ?? "Update files",
      author,
    });
    const delivery = await this.core.sendPush(repo, `refs/heads/${branch}`, before, after, author);
    return { sha: after, before, delivery };
  }

  async createBranch(params: { repo: RepoRef; branch: string; from?: string }): Promise<string> {
    const repo = this.repoState(params.repo);
    const sha = await repo.git.resolveCommit(params.from ?? repo.defaultBranch);
    if (!sha) throw new Error(`Unknown ref ${params.from}`);
    await repo.git.updateRef(`refs/heads/${params.branch}`, sha, "");
    return sha;
  }

  async branchSha(repo: RepoRef, branch: string): Promise<string | undefined> {
    return this.repoState(repo).git.refSha(`refs/heads/${branch}`);
  }

  /** Reads a file at a ref straight from git (undefined when missing). */
  async readFile(repo: RepoRef, ref: string, path: string): Promise<string | undefined> {
    const state = this.repoState(repo);
    const sha = await state.git.resolveCommit(ref);
    const entry = sha ? await state.git.entryAt(sha, path) : undefined;
    return entry?.type === "blob" ? (await state.git.readBlob(entry.sha)).toString("utf8") : undefined;
  }

  /** Directory of the bare git repository, for tests that want to run git themselves. */
  gitDir(repo: RepoRef): string {
    return this.repoState(repo).git.dir;
  }

  setPermission(repo: RepoRef, user: string, role: RepositoryRole): void {
    this.repoState(repo).roles.set(user.toLowerCase(), role);
    this.core.state.user(user);
  }

  // ---- pull requests, issues, comments ----

  /**
   * Opens a PR and sends `pull_request.opened`. With `files`, the head branch is first created
   * from base with those changes. `fromFork` reports the head as `author/<name>` (a fork); its
   * commits still live on `head` in this repository.
   */
  async openPullRequest(params: {
    repo: RepoRef;
    head: string;
    base?: string;
    title?: string;
    body?: string;
    author: string;
    fromFork?: boolean;
    draft?: boolean;
    files?: Record<string, string | null>;
  }): Promise<{ number: number; headSha: string; delivery: WebhookDelivery }> {
    const repo = this.repoState(params.repo);
    const author = this.core.state.user(params.author);
    const base = params.base ?? repo.defaultBranch;
    if (params.files) {
      await this.core.commitFiles({ repo, branch: params.head, files: params.files, message: params.title ?? "Change", author, from: base });
    }
    const pr = await createPullRequest(this.core, repo, {
      title: params.title ?? params.head,
      body: params.body ?? null,
      author,
      headRef: params.head,
      baseRef: base,
      draft: params.draft ?? false,
      forkOwner: params.fromFork ? author : undefined,
    });
    const delivery = await this.core.sendPullRequest(repo, pr, "opened", author);
    return { number: pr.number, headSha: pr.headSha, delivery };
  }

  /** Pushes new commits to the PR head and sends `pull_request.synchronize` (and `push` for same-repo heads). */
  async synchronizePullRequest(params: {
    repo: RepoRef;
    number: number;
    files: Record<string, string | null>;
    message?: string;
    author?: string;
  }): Promise<{ headSha: string; before: string; delivery: WebhookDelivery }> {
    const repo = this.repoState(params.repo);
    const pr = this.pull(repo, params.number);
    const author = this.core.state.user(params.author ?? pr.author.login);
    const before = pr.headSha;
    const { after } = await this.core.commitFiles({
      repo,
      branch: pr.headRef,
      files: params.files,
      message: params.message ?? "Update",
      author,
    });
    if (pr.forkOwner) {
      pr.headSha = after;
      pr.updatedAt = isoNow();
      await this.core.refreshMergeability(repo, pr);
    } else {
      await this.core.sendPush(repo, `refs/heads/${pr.headRef}`, before, after, author);
    }
    const delivery = await this.core.sendPullRequest(repo, pr, "synchronize", author, before);
    return { headSha: after, before, delivery };
  }

  /** Really merges in git, then sends `pull_request.closed` (merged) and `push` to the base branch. */
  async mergePullRequest(params: { repo: RepoRef; number: number; mergedBy?: string; method?: "merge" | "squash" }): Promise<MergeResult> {
    const repo = this.repoState(params.repo);
    const pr = this.pull(repo, params.number);
    if (pr.state !== "open") throw new Error(`Pull request #${pr.number} is not open`);
    const mergedBy = this.core.state.user(params.mergedBy ?? repo.owner.login);
    const baseRef = `refs/heads/${pr.baseRef}`;
    const baseTip = await repo.git.refSha(baseRef);
    if (!baseTip) throw new Error(`Base branch ${pr.baseRef} is gone`);
    const tree = await repo.git.mergeTrees(baseTip, pr.headSha);
    if (!tree) throw new Error(`Pull request #${pr.number} has conflicts with ${pr.baseRef}`);
    const squash = params.method === "squash";
    const headLabel = `${(pr.forkOwner ?? repo.owner).login}/${pr.headRef}`;
    const sha = await repo.git.writeCommit({
      tree,
      parents: squash ? [baseTip] : [baseTip, pr.headSha],
      message: squash ? `${pr.title} (#${pr.number})` : `Merge pull request #${pr.number} from ${headLabel}\n\n${pr.title}`,
      author: this.core.identityOf(mergedBy),
      committer: { name: "GitHub", email: "noreply@github.com" },
    });
    await repo.git.updateRef(baseRef, sha, baseTip);
    const now = isoNow();
    Object.assign(pr, { state: "closed", merged: true, mergedAt: now, closedAt: now, updatedAt: now, mergedBy, mergeCommitSha: sha, baseSha: baseTip });
    await this.core.branchMoved(repo, pr.baseRef);
    const closed = await this.core.sendPullRequest(repo, pr, "closed", mergedBy);
    const push = await this.core.sendPush(repo, baseRef, baseTip, sha, mergedBy);
    return { sha, closed, push };
  }

  async closePullRequest(params: { repo: RepoRef; number: number; sender?: string }): Promise<WebhookDelivery> {
    const repo = this.repoState(params.repo);
    const pr = this.pull(repo, params.number);
    const now = isoNow();
    Object.assign(pr, { state: "closed", closedAt: now, updatedAt: now });
    return this.core.sendPullRequest(repo, pr, "closed", this.core.state.user(params.sender ?? pr.author.login));
  }

  async reopenPullRequest(params: { repo: RepoRef; number: number; sender?: string }): Promise<WebhookDelivery> {
    const repo = this.repoState(params.repo);
    const pr = this.pull(repo, params.number);
    if (pr.merged) throw new Error("A merged pull request cannot be reopened");
    Object.assign(pr, { state: "open", closedAt: null, updatedAt: isoNow() });
    await this.core.refreshMergeability(repo, pr);
    return this.core.sendPullRequest(repo, pr, "reopened", this.core.state.user(params.sender ?? pr.author.login));
  }

  async markReadyForReview(params: { repo: RepoRef; number: number }): Promise<WebhookDelivery> {
    const repo = this.repoState(params.repo);
    const pr = this.pull(repo, params.number);
    Object.assign(pr, { draft: false, updatedAt: isoNow() });
    return this.core.sendPullRequest(repo, pr, "ready_for_review", pr.author);
  }

  // ---- merge queues ----

  /**
   * Queues pull requests as GitHub's merge queue does: each merged in order on top of the base
   * branch's tip (or `baseSha`, a group ahead in the queue), on a temporary
   * `gh-readonly-queue/<base>/pr-<n>-<base sha>` branch, then `merge_group.checks_requested`.
   */
  async enqueueMergeGroup(params: {
    repo: RepoRef;
    pullNumbers: number[];
    baseSha?: string;
    sender?: string;
  }): Promise<MergeGroupState & { delivery: WebhookDelivery }> {
    const repo = this.repoState(params.repo);
    const pulls = params.pullNumbers.map((number) => this.pull(repo, number));
    const base = pulls[0]!.baseRef;
    const baseSha = params.baseSha ?? (await repo.git.refSha(`refs/heads/${base}`));
    if (!baseSha) throw new Error(`Base branch ${base} is gone`);
    let head = baseSha;
    for (const pr of pulls) {
      const tree = await repo.git.mergeTrees(head, pr.headSha);
      if (!tree) throw new Error(`Pull request #${pr.number} conflicts with the merge group`);
      head = await repo.git.writeCommit({
        tree,
        parents: [head, pr.headSha],
        message: `Merge pull request #${pr.number} from ${(pr.forkOwner ?? repo.owner).login}/${pr.headRef}

${pr.title}`,
        author: this.core.identityOf(pr.author),
        committer: { name: "GitHub", email: "noreply@github.com" },
      });
    }
    const last = pulls[pulls.length - 1]!;
    const headRef = `refs/heads/gh-readonly-queue/${base}/pr-${last.number}-${baseSha}`;
    await repo.git.updateRef(headRef, head, "");
    const group: MergeGroupState = { headSha: head, headRef, baseSha, baseRef: `refs/heads/${base}`, pullNumbers: pulls.map((pr) => pr.number) };
    repo.mergeGroups.push(group);
    const delivery = await this.sendMergeGroup(repo, group, "checks_requested", undefined, params.sender);
    return { ...group, delivery };
  }

  /** The queue drops a group (`merge_group.destroyed`); its temporary branch goes. */
  async destroyMergeGroup(params: {
    repo: RepoRef;
    headSha: string;
    reason: "merged" | "invalidated" | "dequeued";
    sender?: string;
  }): Promise<WebhookDelivery> {
    const repo = this.repoState(params.repo);
    const group = repo.mergeGroups.find((g) => g.headSha === params.headSha);
    if (!group) throw new Error(`No merge group with head ${params.headSha} in ${repo.fullName}`);
    await repo.git.deleteRef(group.headRef);
    return this.sendMergeGroup(repo, group, "destroyed", params.reason, params.sender);
  }

  private async sendMergeGroup(
    repo: RepositoryState,
    group: MergeGroupState,
    action: "checks_requested" | "destroyed",
    reason: "merged" | "invalidated" | "dequeued" | undefined,
    sender: string | undefined,
  ): Promise<WebhookDelivery> {
    return this.core.webhooks.send({
      event: "merge_group",
      payload: mergeGroupPayload({
        ctx: this.core.ctx,
        repo,
        group,
        headCommit: await repo.git.readCommit(group.headSha),
        action,
        ...(reason ? { reason } : {}),
        sender: this.core.state.user(sender ?? repo.owner.login),
        installationId: this.installationId,
      }),
    });
  }

  // ---- reviews, rules and teams ----

  /** Someone reviews a pull request's current head (no webhook: Slipway reads reviews when it deploys). Returns the review id. */
  review(params: { repo: RepoRef; number: number; user: string; state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED"; body?: string }): number {
    const repo = this.repoState(params.repo);
    const pr = this.pull(repo, params.number);
    const id = this.core.state.newId();
    repo.reviews.push({
      id,
      pullNumber: pr.number,
      user: this.core.state.user(params.user),
      state: params.state,
      body: params.body ?? "",
      commitId: pr.headSha,
      submittedAt: isoNow(),
    });
    return id;
  }

  /** A maintainer dismisses a review, as GitHub records it: its state becomes DISMISSED. */
  dismissReview(params: { repo: RepoRef; reviewId: number }): void {
    const review = this.repoState(params.repo).reviews.find((r) => r.id === params.reviewId);
    if (!review) throw new Error(`No review ${params.reviewId}`);
    review.state = "DISMISSED";
  }

  /** A ruleset on the branch dismisses stale approvals when new commits are pushed. */
  dismissStaleReviewsOn(params: { repo: RepoRef; branch: string }): void {
    this.repoState(params.repo).dismissStaleReviewsOn.add(params.branch);
  }

  /** Adds an active member to an organization's team (`org/team`). */
  addTeamMember(params: { team: string; user: string }): void {
    const key = params.team.toLowerCase();
    const members = this.core.state.teams.get(key) ?? new Set<string>();
    members.add(params.user.toLowerCase());
    this.core.state.teams.set(key, members);
    this.core.state.user(params.user);
  }

  /** A plain issue (not a PR), for comment-on-issue cases. No webhook. */
  createIssue(params: { repo: RepoRef; title: string; author: string }): number {
    const repo = this.repoState(params.repo);
    const number = repo.nextIssueNumber++;
    repo.issues.set(number, {
      number,
      id: this.core.state.newId(),
      title: params.title,
      author: this.core.state.user(params.author),
      state: "open",
      createdAt: isoNow(),
    });
    return number;
  }

  /** A person comments on an issue or PR; sends `issue_comment.created`. */
  async comment(params: { repo: RepoRef; issueNumber: number; author: string; body: string }): Promise<{ commentId: number; delivery: WebhookDelivery }> {
    return this.addComment(params.repo, params.issueNumber, params.body, this.core.state.user(params.author), undefined);
  }

  /**
   * Another GitHub App installed on the repository comments (as its `<slug>[bot]` user, through
   * its own installation); sends `issue_comment.created` as GitHub does for any comment.
   */
  async commentAsOtherApp(params: {
    repo: RepoRef;
    issueNumber: number;
    appSlug: string;
    body: string;
  }): Promise<{ commentId: number; delivery: WebhookDelivery }> {
    const bot = this.core.state.user(`${params.appSlug}[bot]`, "Bot");
    const app: AppIdentity = {
      ...this.core.ctx.app,
      id: this.core.ctx.app.id + 50_000,
      slug: params.appSlug,
      name: params.appSlug,
      bot,
      clientId: `Iv1.${(this.core.ctx.app.id + 50_000).toString(16).padStart(16, "0")}`,
    };
    return this.addComment(params.repo, params.issueNumber, params.body, bot, app);
  }

  private async addComment(
    ref: RepoRef,
    issueNumber: number,
    body: string,
    author: SimUser,
    otherApp: AppIdentity | undefined,
  ): Promise<{ commentId: number; delivery: WebhookDelivery }> {
    const params = { issueNumber, body };
    const repo = this.repoState(ref);
    const pr = repo.pulls.get(params.issueNumber);
    const issue =
      repo.issues.get(params.issueNumber) ??
      (pr ? { number: pr.number, id: pr.id, title: pr.title, author: pr.author, state: pr.state, createdAt: pr.createdAt } : undefined);
    if (!issue) throw new Error(`No issue or pull request #${params.issueNumber} in ${repo.fullName}`);
    const now = isoNow();
    const comment: CommentState = {
      id: this.core.state.newId(),
      issueNumber: params.issueNumber,
      body: params.body,
      user: author,
      viaApp: otherApp !== undefined,
      ...(otherApp ? { otherApp } : {}),
      createdAt: now,
      updatedAt: now,
    };
    repo.comments.push(comment);
    const delivery = await this.core.webhooks.send({
      event: "issue_comment",
      payload: issueCommentPayload({
        ctx: this.core.ctx,
        repo,
        issue,
        pr,
        comment,
        commentCount: repo.comments.filter((c) => c.issueNumber === params.issueNumber).length,
        sender: author,
        installationId: this.installationId,
      }),
    });
    return { commentId: comment.id, delivery };
  }

  /** Someone clicks "Re-run" on a check run: `check_run.rerequested`. */
  async rerequestCheckRun(params: { repo: RepoRef; checkRunId: number; sender?: string }): Promise<WebhookDelivery> {
    const repo = this.repoState(params.repo);
    return this.core.sendCheckRun(repo, params.checkRunId, "rerequested", this.core.state.user(params.sender ?? repo.owner.login));
  }

  /** "Re-run all checks": `check_suite.rerequested` for the App's suite on a sha. */
  async rerequestCheckSuite(params: { repo: RepoRef; headSha: string; sender?: string }): Promise<WebhookDelivery> {
    const repo = this.repoState(params.repo);
    const suite = await this.core.checkSuiteFor(repo, params.headSha);
    return this.core.sendCheckSuite(repo, suite, "rerequested", this.core.state.user(params.sender ?? repo.owner.login));
  }

  /** Raw delivery: any payload, chosen delivery id (redelivery), bad or missing signature. */
  async sendWebhook(options: SendWebhookOptions): Promise<WebhookDelivery> {
    return this.core.webhooks.send(options);
  }

  /** `sha256=<hex>` for a body, as GitHub computes X-Hub-Signature-256. */
  signWebhookBody(body: string): string {
    return this.core.webhooks.sign(body);
  }

  // ---- the App manifest flow ----

  /**
   * What github.com does when someone submits an App manifest and confirms: the browser goes to
   * the manifest's `redirect_url` with a one-time `code` and the form's `state`. Returns that
   * address; `POST /app-manifests/{code}/conversions` then hands back this App's credentials.
   */
  completeManifestFlow(params: { redirectUrl: string; state: string }): string {
    const code = randomBytes(10).toString("hex");
    this.core.manifestCodes.add(code);
    const url = new URL(params.redirectUrl);
    url.searchParams.set("code", code);
    url.searchParams.set("state", params.state);
    return url.toString();
  }

  // ---- credentials for tests that call the API themselves ----

  /** A JWT for the App, signed with its private key (what Probot computes). */
  createAppJwt(lifetimeSeconds = 540): string {
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode({ iat: now - 30, exp: now - 30 + lifetimeSeconds, iss: this.appId })}`;
    const signature = createSign("RSA-SHA256").update(unsigned).sign(this.privateKey).toString("base64url");
    return `${unsigned}.${signature}`;
  }

  /** An installation token, as if the App had asked for one. */
  createInstallationToken(): string {
    return this.core.credentials.issueToken(this.installationId, this.core.ctx.app.permissions).token;
  }

  revokeToken(token: string): void {
    this.core.credentials.revokeToken(token);
  }

  // ---- state for assertions (live objects; do not mutate) ----

  repository(repo: RepoRef): RepositoryState {
    return this.repoState(repo);
  }

  pullRequests(repo: RepoRef): PullRequestState[] {
    return [...this.repoState(repo).pulls.values()];
  }

  pullRequest(repo: RepoRef, number: number): PullRequestState {
    return this.pull(this.repoState(repo), number);
  }

  checkRuns(repo: RepoRef, filter: { headSha?: string; name?: string } = {}): CheckRunState[] {
    return this.repoState(repo).checkRuns.filter((r) => (!filter.headSha || r.headSha === filter.headSha) && (!filter.name || r.name === filter.name));
  }

  comments(repo: RepoRef, issueNumber: number): CommentState[] {
    return this.repoState(repo).comments.filter((c) => c.issueNumber === issueNumber);
  }

  reactions(repo: RepoRef, commentId: number): ReactionState[] {
    return this.repoState(repo).reactions.filter((r) => r.commentId === commentId);
  }

  statuses(repo: RepoRef, sha: string): StatusState[] {
    return this.repoState(repo).statuses.filter((s) => s.sha === sha);
  }

  deployments(repo: RepoRef): DeploymentState[] {
    return this.repoState(repo).deployments;
  }

  deploymentStatuses(repo: RepoRef, deploymentId: number): DeploymentStatusState[] {
    return this.repoState(repo).deployments.find((d) => d.id === deploymentId)?.statuses ?? [];
  }

  get requests(): readonly RequestRecord[] {
    return this.core.requests;
  }

  get violations(): readonly Violation[] {
    return this.core.violations;
  }

  get deliveries(): readonly WebhookDelivery[] {
    return this.core.webhooks.deliveries;
  }

  clearViolations(): void {
    this.core.violations.length = 0;
  }

  /** Throws one error listing every request GitHub would have refused (and simulator faults). */
  assertNoViolations(options: AssertNoViolationsOptions = {}): void {
    const offending = this.core.violations.filter((v) => !options.ignore?.(v));
    if (offending.length === 0) return;
    const lines = offending.map((v) => `  - [${v.kind}] ${v.method} ${v.path}${v.operationId ? ` (${v.operationId})` : ""} → ${v.status}: ${v.message}`);
    throw new Error(`GitHub simulator saw ${offending.length} violation(s):\n${lines.join("\n")}`);
  }

  waitFor<T>(predicate: () => T | Promise<T>, options?: WaitForOptions): Promise<Truthy<T>> {
    return waitFor(predicate, options);
  }

  /** Resolves when webhooks triggered by the App's own API writes have been delivered. */
  idle(): Promise<void> {
    return this.core.idle();
  }

  async close(): Promise<void> {
    await this.core.idle();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.core.state.repositories.values()].map((repo) => repo.git.dispose()));
  }

  private repoState(ref: RepoRef): RepositoryState {
    const fullName = typeof ref === "string" ? ref : ref.fullName;
    const [owner, name] = fullName.includes("/") ? fullName.split("/", 2) : [this.account, fullName];
    const repo = this.core.state.repository(owner!, name!);
    if (!repo) throw new Error(`GitHub simulator has no repository ${fullName}`);
    return repo;
  }

  private pull(repo: RepositoryState, number: number): PullRequestState {
    const pr = repo.pulls.get(number);
    if (!pr) throw new Error(`No pull request #${number} in ${repo.fullName}`);
    return pr;
  }
}

function handle(repo: RepositoryState): RepositoryHandle {
  return { owner: repo.owner.login, name: repo.name, fullName: repo.fullName, defaultBranch: repo.defaultBranch };
}

let nextAppId = 100_000;

/** Starts a simulated api.github.com on a loopback port. */
export async function startGitHubSimulator(options: StartGitHubSimulatorOptions = {}): Promise<GitHubSimulator> {
  const appId = options.appId ?? nextAppId++;
  const webhookSecret = options.webhookSecret ?? randomBytes(16).toString("hex");
  const core = new SimulatorCore({
    appId,
    appSlug: options.appSlug ?? "slipway",
    webhookSecret,
    installationId: appId * 10 + 1,
    account: options.account ?? "slipway-test",
  });
  const routes = {
    ...appRoutes(core),
    ...repositoryRoutes(core),
    ...gitRoutes(core),
    ...pullRoutes(core),
    ...checkRoutes(core),
    ...issueRoutes(core),
    ...statusRoutes(core),
    ...deploymentRoutes(core),
    ...reviewRoutes(core),
  };
  const faults = new FaultInjector();
  const { server, url } = await startApiServer({
    core,
    routes,
    faults,
    validateResponses: options.validateResponses ?? true,
    extra: async (_request, requestUrl) => {
      // The tarball redirect target stands in for codeload.github.com.
      const match = /^\/_codeload\/([^/]+)\/([^/]+)\/legacy\.tar\.gz\/([0-9a-f]{40})$/.exec(requestUrl.pathname);
      if (!match) return undefined;
      const repo = core.state.repository(match[1]!, match[2]!);
      if (!repo) return { status: 404, body: { message: "Not Found" } };
      const data = await repo.git.archive(match[3]!, `${repo.owner.login}-${repo.name}-${match[3]!.slice(0, 7)}`);
      return { status: 200, raw: { data, contentType: "application/x-gzip" } };
    },
  });
  core.ctx.apiUrl = url;
  core.webhooks.url = options.webhookUrl;
  return new GitHubSimulator(core, server, url, webhookSecret, faults);
}
