import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { jobsForEvent } from "../../src/handlers/jobs-for-event.js";

// GitHub's own recorded payloads, so the translation is tested against the real shapes.
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as Array<{
  name: string;
  examples: Array<Record<string, any>>;
}>;

function withInstallation(name: string, action: string) {
  const group = examples.find((g) => g.name === name)!;
  const payload = structuredClone(group.examples.find((p) => p.action === action)!);
  payload.installation ??= { id: 42, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" };
  return payload;
}

for (const action of ["opened", "synchronize", "reopened", "ready_for_review"]) {
  test(`pull_request.${action} becomes one check-head job for the pull request's head`, () => {
    const payload = withInstallation("pull_request", action);
    const jobs = jobsForEvent("pull_request", payload);
    assert.equal(jobs.length, 1);
    const [owner, repo] = payload.repository.full_name.split("/");
    assert.deepEqual(jobs[0], {
      kind: "check-head",
      key: `check:${owner}/${repo}#${payload.pull_request.number}`,
      dedupeKey: `check:${owner}/${repo}#${payload.pull_request.number}:${payload.pull_request.head.sha}`,
      supersedeQueued: true,
      payload: {
        installationId: payload.installation.id,
        owner,
        repo,
        headSha: payload.pull_request.head.sha,
        pullNumber: payload.pull_request.number,
        reason: `pull_request.${action}`,
        // GitHub's clock for when the head arrived: a /plan approves the head its comment saw.
        headPushedAt: payload.pull_request.updated_at,
      },
    });
  });
}

for (const action of ["labeled", "assigned", "converted_to_draft"]) {
  test(`pull_request.${action} asks for no check`, () => {
    assert.deepEqual(jobsForEvent("pull_request", withInstallation("pull_request", action)), []);
  });
}

test("check_run.rerequested checks the run's head for each of its pull requests", () => {
  const payload = withInstallation("check_run", "rerequested");
  payload.check_run.pull_requests = [
    {
      number: 7,
      id: 1,
      url: "",
      head: { ref: "a", sha: payload.check_run.head_sha, repo: payload.repository },
      base: { ref: "main", sha: "0".repeat(40), repo: payload.repository },
    },
  ];
  const jobs = jobsForEvent("check_run", payload);
  assert.equal(jobs.length, 1);
  assert.equal((jobs[0]!.payload as unknown as Record<string, unknown>).pullNumber, 7);
  assert.equal((jobs[0]!.payload as unknown as Record<string, unknown>).headSha, payload.check_run.head_sha);
  assert.equal((jobs[0]!.payload as unknown as Record<string, unknown>).reason, "check_run.rerequested");
});

test("check_suite.rerequested without pull requests checks the head commit itself", () => {
  const payload = withInstallation("check_suite", "rerequested");
  payload.check_suite.pull_requests = [];
  const jobs = jobsForEvent("check_suite", payload);
  assert.equal(jobs.length, 1);
  assert.equal((jobs[0]!.payload as unknown as Record<string, unknown>).pullNumber, undefined);
  assert.match(jobs[0]!.key, /@[0-9a-f]{40}$/);
});

test("merge_group.checks_requested checks the merge group's head", () => {
  const payload = withInstallation("merge_group", "checks_requested");
  const jobs = jobsForEvent("merge_group", payload);
  assert.equal(jobs.length, 1);
  assert.equal((jobs[0]!.payload as unknown as Record<string, unknown>).headSha, payload.merge_group.head_sha);
  assert.deepEqual((jobs[0]!.payload as unknown as Record<string, unknown>).mergeGroup, {
    baseSha: payload.merge_group.base_sha,
    baseRef: payload.merge_group.base_ref,
    headRef: payload.merge_group.head_ref,
  });
});

test("merge_group.destroyed ends the group's checks, beside a check still running", () => {
  const payload = withInstallation("merge_group", "checks_requested");
  payload.action = "destroyed";
  payload.reason = "dequeued";
  const jobs = jobsForEvent("merge_group", payload);
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0]!.kind, "merge-group-destroyed");
  assert.deepEqual(jobs[0]!.payload, {
    installationId: payload.installation.id,
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
    headSha: payload.merge_group.head_sha,
    reason: "dequeued",
  });
  assert.notEqual(jobs[0]!.key, jobsForEvent("merge_group", withInstallation("merge_group", "checks_requested"))[0]!.key);
});

test("completed check runs, unknown events and payloads without an installation ask for nothing", () => {
  assert.deepEqual(jobsForEvent("check_run", withInstallation("check_run", "completed")), []);
  assert.deepEqual(jobsForEvent("star", { action: "created", installation: { id: 1 }, repository: { full_name: "a/b" } }), []);
  const payload = withInstallation("pull_request", "opened");
  delete payload.installation;
  assert.deepEqual(jobsForEvent("pull_request", payload), []);
});

test("pull_request.closed releases what the pull request held", () => {
  const payload = withInstallation("pull_request", "closed");
  const jobs = jobsForEvent("pull_request", payload);
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0]!.kind, "pull-request-closed");
  assert.equal((jobs[0]!.payload as unknown as Record<string, unknown>).pullNumber, payload.pull_request.number);
});

test("a new comment on a pull request becomes a comment-command job; edits, bots and plain issues do not", () => {
  const created = withInstallation("issue_comment", "created");
  created.issue.pull_request = { url: "https://api.github.com/repos/o/r/pulls/1" };
  created.comment.user.type = "User";
  created.comment.body = "/plan";
  const jobs = jobsForEvent("issue_comment", created);
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0]!.kind, "comment-command");
  assert.deepEqual(
    {
      body: (jobs[0]!.payload as unknown as Record<string, unknown>).body,
      commentId: (jobs[0]!.payload as unknown as Record<string, unknown>).commentId,
      pullNumber: (jobs[0]!.payload as unknown as Record<string, unknown>).pullNumber,
      commentedAt: (jobs[0]!.payload as unknown as Record<string, unknown>).commentedAt,
    },
    { body: "/plan", commentId: created.comment.id, pullNumber: created.issue.number, commentedAt: created.comment.created_at },
  );

  const edited = structuredClone(created);
  edited.action = "edited";
  assert.deepEqual(jobsForEvent("issue_comment", edited), []);

  const byBot = structuredClone(created);
  byBot.comment.user.type = "Bot";
  assert.deepEqual(jobsForEvent("issue_comment", byBot), []);

  const onIssue = structuredClone(created);
  delete onIssue.issue.pull_request;
  assert.deepEqual(jobsForEvent("issue_comment", onIssue), []);

  const huge = structuredClone(created);
  huge.comment.body = "x".repeat(1024 * 1024);
  assert.equal((jobsForEvent("issue_comment", huge)[0]!.payload as { body: string }).body.length, 65_536);
});
