import { test } from "node:test";
import assert from "node:assert/strict";
import { checkReviewRequirement, type CheckReviewRequirementParams } from "../../../src/core/review/check-review-requirement.js";
import { parseCodeowners } from "../../../src/core/review/parse-codeowners.js";
import { reviewRequirementOf } from "../../../src/core/review/review-requirement.js";

const head = "a".repeat(40);
const earlier = "b".repeat(40);
const pull = { number: 12, headSha: head, author: "author" };
const base: CheckReviewRequirementParams = { requirement: "approved", pushedBy: "octocat", pull, reviews: [], dismissStaleReviews: false };

test("protected environments require an approved pull request by default, others nothing", () => {
  assert.equal(reviewRequirementOf({ protected: true }), "approved");
  assert.equal(reviewRequirementOf({ protected: false }), "none");
  assert.equal(reviewRequirementOf({ protected: true, requireReview: "none" }), "none");
  assert.equal(reviewRequirementOf({ requireReview: "approved-by-codeowners" }), "approved-by-codeowners");
});

test("none is not checked; a direct push fails naming its pusher", () => {
  assert.deepEqual(checkReviewRequirement({ ...base, requirement: "none", pull: undefined }), { status: "not-required" });
  assert.deepEqual(checkReviewRequirement({ ...base, pull: undefined }), {
    status: "unmet",
    reason: "pushed directly by @octocat, not through an approved pull request",
  });
});

test("an approval on the final head meets it; the author's own, comments and none do not", () => {
  assert.deepEqual(checkReviewRequirement({ ...base, reviews: [{ user: "reviewer", state: "APPROVED", commitId: head }] }), {
    status: "met",
    summary: "#12 approved by @reviewer",
  });
  assert.deepEqual(
    checkReviewRequirement({
      ...base,
      reviews: [
        { user: "author", state: "APPROVED", commitId: head },
        { user: "x", state: "COMMENTED", commitId: head },
      ],
    }),
    {
      status: "unmet",
      reason: "#12 was merged without an approval",
    },
  );
});

test("a dismissed approval, or changes requested after it, fails", () => {
  assert.deepEqual(checkReviewRequirement({ ...base, reviews: [{ user: "reviewer", state: "DISMISSED", commitId: head }] }), {
    status: "unmet",
    reason: "#12's approval by @reviewer was dismissed",
  });
  const reviews = [
    { user: "reviewer", state: "APPROVED", commitId: head },
    { user: "reviewer", state: "CHANGES_REQUESTED", commitId: head },
  ];
  assert.deepEqual(checkReviewRequirement({ ...base, reviews }), { status: "unmet", reason: "#12 was merged with changes requested by @reviewer" });
});

test("an approval of an earlier head counts only when the branch keeps stale approvals", () => {
  const reviews = [{ user: "reviewer", state: "APPROVED", commitId: earlier }];
  assert.equal(checkReviewRequirement({ ...base, reviews }).status, "met");
  assert.deepEqual(checkReviewRequirement({ ...base, reviews, dismissStaleReviews: true }), {
    status: "unmet",
    reason: `#12 has no approval on its final head ${head.slice(0, 7)}`,
  });
});

test("approved-by-codeowners needs an owner of each owned path, a user or a team member", () => {
  const rules = parseCodeowners("# owners\n* @lead\n/deploy/production/ @acme/sre\n*.md @docs\n");
  const params = (approver: string, files: string[]): CheckReviewRequirementParams => ({
    ...base,
    requirement: "approved-by-codeowners",
    reviews: [{ user: approver, state: "APPROVED", commitId: head }],
    codeowners: { rules, changedFiles: files, teamMembers: new Map([["acme/sre", new Set(["sre-oncall"])]]) },
  });
  assert.equal(checkReviewRequirement(params("sre-oncall", ["deploy/production/web.yaml"])).status, "met");
  assert.deepEqual(checkReviewRequirement(params("lead", ["deploy/production/web.yaml"])), {
    status: "unmet",
    reason: "#12 has no approval from a code owner of deploy/production/web.yaml (@acme/sre)",
  });
  assert.equal(checkReviewRequirement(params("lead", ["deploy/staging/web.yaml"])).status, "met");
  assert.equal(checkReviewRequirement(params("docs", ["deploy/staging/README.md"])).status, "met");
  assert.deepEqual(checkReviewRequirement({ ...params("lead", ["x"]), codeowners: { rules: undefined, changedFiles: ["x"], teamMembers: new Map() } }), {
    status: "unmet",
    reason: "#12 needs code owners' approval, but the default branch has no CODEOWNERS file",
  });
});

test("CODEOWNERS patterns: anchored, folders, globs, any depth, last match wins", () => {
  const rules = parseCodeowners("docs/ @a\n/build/logs/ @b\n*.js @c\napps/**/config.yaml @d\n/app/* @e\n");
  const owner = (path: string) => [...rules].reverse().find((rule) => rule.matches(path))?.owners[0];
  assert.equal(owner("docs/guide.md"), "@a");
  assert.equal(owner("src/docs/guide.md"), "@a");
  assert.equal(owner("build/logs/x.txt"), "@b");
  assert.equal(owner("src/build/logs/x.txt"), undefined);
  assert.equal(owner("src/a/b.js"), "@c");
  assert.equal(owner("apps/web/prod/config.yaml"), "@d");
  assert.equal(owner("apps/config.yaml"), "@d");
  assert.equal(owner("app/x.yaml"), "@e");
  assert.equal(owner("app/sub/x.yaml"), undefined);
});
