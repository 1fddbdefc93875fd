import { AppCredentials } from "./app-credentials.js";
import { GitRepository, type CommitInfo, type GitIdentity } from "./git-repository.js";
import { isoNow, type JsonContext, type PullRequestStats } from "./github-json.js";
import { notFound } from "./http-error.js";
import { SimulatorState, type CheckSuiteState, type PullRequestState, type RepositoryState, type SimUser } from "./simulator-state.js";
import { checkRunPayload, checkSuitePayload, pullRequestPayload, pushPayload, type PushedCommit } from "./webhook-payloads.js";
import { WebhookSender, type WebhookDelivery } from "./webhook-sender.js";

export type ViolationKind =
  | "unknown-route"
  | "method-not-allowed"
  | "not-simulated"
  | "invalid-parameters"
  | "invalid-body"
  | "auth"
  | "rejected"
  | "response-schema"
  | "simulator-error";

export interface Violation {
  kind: ViolationKind;
  method: string;
  path: string;
  operationId?: string;
  status: number;
  message: string;
}

export interface RequestRecord {
  method: string;
  /** Path and query as sent. */
  path: string;
  operationId?: string;
  /** 0 until answered. */
  status: number;
  /** The parsed JSON body the App sent, for asserting on what it asked GitHub to do. */
  body?: unknown;
  at: number;
}

const ZERO_SHA = "0".repeat(40);

/** State plus the domain operations shared by the REST routes and the test-facing API. */
export class SimulatorCore {
  readonly state = new SimulatorState();
  readonly credentials: AppCredentials;
  readonly webhooks: WebhookSender;
  /** Codes of the App manifest flow not yet converted (each converts once). */
  readonly manifestCodes = new Set<string>();
  readonly ctx: JsonContext;
  readonly installationId: number;
  readonly installationCreatedAt = isoNow();
  readonly installationAccount: SimUser;
  readonly violations: Violation[] = [];
  readonly requests: RequestRecord[] = [];
  /** GitHub lists at most 100,000 entries of a recursive tree and says `truncated`. */
  treeEntryLimit = 100_000;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(options: { appId: number; appSlug: string; webhookSecret: string; installationId: number; account: string }) {
    this.credentials = new AppCredentials(options.appId);
    this.webhooks = new WebhookSender(options.webhookSecret, options.appId);
    this.installationId = options.installationId;
    this.installationAccount = this.state.user(options.account, "Organization");
    const owner = this.installationAccount;
    const bot = this.state.user(`${options.appSlug}[bot]`, "Bot");
    this.ctx = {
      apiUrl: "http://127.0.0.1",
      app: {
        id: options.appId,
        slug: options.appSlug,
        name: options.appSlug[0]!.toUpperCase() + options.appSlug.slice(1),
        owner,
        bot,
        clientId: `Iv1.${options.appId.toString(16).padStart(16, "0")}`,
        createdAt: isoNow(),
        permissions: {
          checks: "write",
          contents: "write",
          deployments: "write",
          issues: "write",
          members: "read",
          metadata: "read",
          pull_requests: "write",
          statuses: "write",
        },
        // The webhook schema's enum predates merge_group, so it is not listed here.
        events: ["check_run", "check_suite", "issue_comment", "pull_request", "push"],
      },
    };
  }

  get bot(): SimUser {
    return this.ctx.app.bot;
  }

  botIdentity(): GitIdentity {
    return { name: this.bot.login, email: `${this.bot.id}+${this.bot.login}@users.noreply.github.com` };
  }

  identityOf(user: SimUser): GitIdentity {
    return { name: user.login, email: `${user.id}+${user.login}@users.noreply.github.com` };
  }

  repo(owner: string, name: string): RepositoryState {
    const repo = this.state.repository(owner, name);
    if (!repo) throw notFound();
    return repo;
  }

  async createRepository(params: {
    owner: string;
    name: string;
    defaultBranch: string;
    private: boolean;
    files: Record<string, string>;
  }): Promise<RepositoryState> {
    const key = `${params.owner}/${params.name}`.toLowerCase();
    if (this.state.repositories.has(key)) throw new Error(`Repository ${params.owner}/${params.name} already exists`);
    const ownerType = params.owner.toLowerCase() === this.installationAccount.login.toLowerCase() ? "Organization" : "User";
    const owner = this.state.user(params.owner, ownerType);
    const now = isoNow();
    const repo: RepositoryState = {
      id: this.state.newId(),
      owner,
      name: params.name,
      fullName: `${owner.login}/${params.name}`,
      private: params.private,
      defaultBranch: params.defaultBranch,
      git: await GitRepository.create(params.defaultBranch),
      createdAt: now,
      updatedAt: now,
      pushedAt: now,
      roles: new Map([[owner.login.toLowerCase(), "admin"]]),
      nextIssueNumber: 1,
      pulls: new Map(),
      issues: new Map(),
      comments: [],
      reactions: [],
      checkSuites: [],
      checkRuns: [],
      statuses: [],
      deployments: [],
      mergeGroups: [],
      reviews: [],
      dismissStaleReviewsOn: new Set(),
    };
    this.state.repositories.set(key, repo);
    const tree = await repo.git.writeTree(
      undefined,
      Object.entries(params.files).map(([path, content]) => ({ path, mode: "100644", type: "blob" as const, content })),
    );
    const sha = await repo.git.writeCommit({ tree, parents: [], message: "Initial commit", author: this.identityOf(owner) });
    await repo.git.updateRef(`refs/heads/${params.defaultBranch}`, sha);
    return repo;
  }

  /** Commits file changes (null = delete) on a branch, creating it from `from` if needed. */
  async commitFiles(params: {
    repo: RepositoryState;
    branch: string;
    files: Record<string, string | null>;
    message: string;
    author: SimUser;
    from?: string;
  }): Promise<{ before: string; after: string }> {
    const { repo } = params;
    const current = await repo.git.refSha(`refs/heads/${params.branch}`);
    const parent = current ?? (await repo.git.resolveCommit(params.from ?? repo.defaultBranch));
    if (!parent) throw new Error(`Cannot find ${params.from ?? repo.defaultBranch} in ${repo.fullName}`);
    const baseTree = await repo.git.resolveTree(parent);
    const tree = await repo.git.writeTree(
      baseTree,
      Object.entries(params.files).map(([path, content]) =>
        content === null ? { path, mode: "100644", type: "blob" as const, sha: null } : { path, mode: "100644", type: "blob" as const, content },
      ),
    );
    const after = await repo.git.writeCommit({ tree, parents: [parent], message: params.message, author: this.identityOf(params.author) });
    await repo.git.updateRef(`refs/heads/${params.branch}`, after, current ?? "");
    await this.branchMoved(repo, params.branch);
    return { before: current ?? ZERO_SHA, after };
  }

  /** Keeps open pull requests in step with their branches, as GitHub does. Returns PRs whose head moved. */
  async branchMoved(repo: RepositoryState, branch: string): Promise<Array<{ pr: PullRequestState; before: string }>> {
    repo.pushedAt = isoNow();
    const tip = await repo.git.refSha(`refs/heads/${branch}`);
    const moved: Array<{ pr: PullRequestState; before: string }> = [];
    for (const pr of repo.pulls.values()) {
      if (pr.state !== "open" || !tip) continue;
      if (pr.headRef === branch && !pr.forkOwner && pr.headSha !== tip) {
        moved.push({ pr, before: pr.headSha });
        pr.headSha = tip;
        pr.updatedAt = isoNow();
      }
      if (pr.baseRef === branch) pr.baseSha = tip;
      if (pr.headRef === branch || pr.baseRef === branch) await this.refreshMergeability(repo, pr);
    }
    return moved;
  }

  /** Writes refs/pull/N/head and refs/pull/N/merge and works out `mergeable`. */
  async refreshMergeability(repo: RepositoryState, pr: PullRequestState): Promise<void> {
    await repo.git.updateRef(`refs/pull/${pr.number}/head`, pr.headSha);
    const mergedTree = await repo.git.mergeTrees(pr.baseSha, pr.headSha);
    pr.mergeable = mergedTree !== undefined;
    if (mergedTree) {
      const merge = await repo.git.writeCommit({
        tree: mergedTree,
        parents: [pr.baseSha, pr.headSha],
        message: `Merge ${pr.headSha} into ${pr.baseSha}`,
        author: this.identityOf(pr.author),
        committer: { name: "GitHub", email: "noreply@github.com" },
      });
      await repo.git.updateRef(`refs/pull/${pr.number}/merge`, merge);
      pr.mergeCommitSha = merge;
    }
  }

  async pullStats(repo: RepositoryState, pr: PullRequestState): Promise<PullRequestStats> {
    const base = pr.merged ? pr.baseSha : await repo.git.mergeBase(pr.baseSha, pr.headSha);
    const files = await repo.git.diffFiles(base, pr.headSha);
    const commits = base ? await repo.git.commitsBetween(base, pr.headSha) : [];
    return {
      commits: commits.length,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      changedFiles: files.length,
      comments: repo.comments.filter((c) => c.issueNumber === pr.number).length,
    };
  }

  openPullsForSha(repo: RepositoryState, sha: string): PullRequestState[] {
    return [...repo.pulls.values()].filter((pr) => pr.state === "open" && pr.headSha === sha && !pr.forkOwner);
  }

  async checkSuiteFor(repo: RepositoryState, headSha: string): Promise<CheckSuiteState> {
    let suite = repo.checkSuites.find((s) => s.headSha === headSha);
    if (!suite) {
      const branches = await repo.git.listRefs("refs/heads/");
      const branch = branches.find((b) => b.sha === headSha)?.ref.slice("refs/heads/".length) ?? null;
      suite = { id: this.state.newId(), headSha, headBranch: branch, createdAt: isoNow() };
      repo.checkSuites.push(suite);
    }
    return suite;
  }

  async pushedCommits(repo: RepositoryState, before: string, after: string): Promise<PushedCommit[]> {
    const shas = before === ZERO_SHA ? [after] : await repo.git.commitsBetween(before, after);
    const commits: PushedCommit[] = [];
    for (const sha of shas.slice(-20)) {
      const info = await repo.git.readCommit(sha);
      const files = await repo.git.diffFiles(info.parents[0], sha);
      commits.push({
        info,
        added: files.filter((f) => f.status === "added").map((f) => f.path),
        removed: files.filter((f) => f.status === "removed").map((f) => f.path),
        modified: files.filter((f) => f.status === "modified" || f.status === "renamed").map((f) => f.path),
      });
    }
    return commits;
  }

  async sendPush(repo: RepositoryState, ref: string, before: string, after: string, pusher: SimUser): Promise<WebhookDelivery> {
    const forced = before !== ZERO_SHA && after !== ZERO_SHA && !(await repo.git.isAncestor(before, after));
    const commits = after === ZERO_SHA || forced ? [] : await this.pushedCommits(repo, before, after);
    return this.webhooks.send({
      event: "push",
      payload: pushPayload({
        ctx: this.ctx,
        repo,
        ref,
        before,
        after,
        commits,
        forced,
        pusher,
        sender: pusher,
        installationId: this.installationId,
      }),
    });
  }

  async sendPullRequest(repo: RepositoryState, pr: PullRequestState, action: string, sender: SimUser, before?: string): Promise<WebhookDelivery> {
    return this.webhooks.send({
      event: "pull_request",
      payload: pullRequestPayload({
        ctx: this.ctx,
        repo,
        pr,
        stats: await this.pullStats(repo, pr),
        action,
        sender,
        installationId: this.installationId,
        before,
      }),
    });
  }

  async sendCheckRun(repo: RepositoryState, runId: number, action: string, sender: SimUser): Promise<WebhookDelivery> {
    const run = repo.checkRuns.find((r) => r.id === runId);
    if (!run) throw new Error(`No check run ${runId} in ${repo.fullName}`);
    const suite = repo.checkSuites.find((s) => s.id === run.suiteId)!;
    return this.webhooks.send({
      event: "check_run",
      payload: checkRunPayload({
        ctx: this.ctx,
        repo,
        run,
        suite,
        suiteRuns: repo.checkRuns.filter((r) => r.suiteId === suite.id),
        pulls: this.openPullsForSha(repo, run.headSha),
        headCommit: await repo.git.readCommit(run.headSha),
        action,
        sender,
        installationId: this.installationId,
      }),
    });
  }

  async sendCheckSuite(repo: RepositoryState, suite: CheckSuiteState, action: string, sender: SimUser): Promise<WebhookDelivery> {
    return this.webhooks.send({
      event: "check_suite",
      payload: checkSuitePayload({
        ctx: this.ctx,
        repo,
        suite,
        suiteRuns: repo.checkRuns.filter((r) => r.suiteId === suite.id),
        pulls: this.openPullsForSha(repo, suite.headSha),
        headCommit: await repo.git.readCommit(suite.headSha),
        action,
        sender,
        installationId: this.installationId,
      }),
    });
  }

  /** Webhooks GitHub fires because of the App's own API writes go out after the response. */
  later(work: () => Promise<unknown>): void {
    const job = new Promise((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) => {
        this.violations.push({
          kind: "simulator-error",
          method: "-",
          path: "-",
          status: 0,
          message: `webhook after API write failed: ${error instanceof Error ? error.message : String(error)}`,
        });
      })
      .finally(() => this.pending.delete(job));
    this.pending.add(job);
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async readCommit(repo: RepositoryState, sha: string): Promise<CommitInfo> {
    return repo.git.readCommit(sha);
  }
}
