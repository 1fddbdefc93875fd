import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertGolden } from "../support/golden.js";
import { nextSecond, startTestApp, type TestApp } from "../support/start-test-app.js";

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});

const config = `environments:
  - name: staging
    path: deploy/staging
    cluster: test
  - name: production
    path: deploy/production
    cluster: test
    protected: true
`;

const configMap = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: "${value}"\n`;

async function repositoryWithPullRequest(name: string, author = "octocat") {
  const repo = await t.sim.createRepository({
    name,
    files: { ".github/slipway.yml": config, "deploy/staging/settings.yaml": configMap("1"), "deploy/production/settings.yaml": configMap("1") },
  });
  const opened = await t.sim.openPullRequest({ repo, head: `change-${name}`, author, files: { "deploy/staging/settings.yaml": configMap("2") } });
  await t.settle();
  return { repo, number: opened.number, headSha: opened.headSha };
}

/** Posts a comment, waits for Slipway, and returns Slipway's replies posted after it. */
async function command(repo: Awaited<ReturnType<typeof repositoryWithPullRequest>>["repo"], number: number, author: string, body: string) {
  const { commentId } = await t.sim.comment({ repo, issueNumber: number, author, body });
  await t.settle();
  const replies = t.sim.comments(repo, number).filter((c) => c.id > commentId && c.user.login === t.sim.botLogin);
  return { commentId, replies: replies.map((c) => c.body) };
}

test("/help is acknowledged with a reaction and answered with the commands and who may run them", async () => {
  const { repo, number } = await repositoryWithPullRequest("help");
  t.sim.setPermission(repo, "reader", "read");
  const { commentId, replies } = await command(repo, number, "reader", "/help");
  assert.deepEqual(
    t.sim.reactions(repo, commentId).map((r) => r.content),
    ["eyes"],
  );
  assert.equal(replies.length, 1);
  assertGolden("app/help-reply.md", replies[0]!);
  t.sim.assertNoViolations();
});

test("/help and usage replies: one per pull request and command per REPLY_INTERVAL_SECONDS, then only the reaction", async () => {
  const { repo, number } = await repositoryWithPullRequest("repeat");
  const answered = async (body: string, author = "passer-by") => {
    const { commentId, replies } = await command(repo, number, author, body);
    assert.deepEqual(
      t.sim.reactions(repo, commentId).map((r) => r.content),
      ["eyes"],
      body,
    );
    return replies.length;
  };
  assert.equal(await answered("/help"), 1);
  assert.equal(await answered("/help"), 0);
  assert.equal(await answered("/help", "someone-else"), 0);
  // Each command has its own allowance: an unknown command and a typo are answered once each.
  assert.equal(await answered("/slipway frobnicate"), 1);
  assert.equal(await answered("/slipway frobnicate"), 0);
  assert.equal(await answered("/rollbak staging"), 1);
  assert.equal(await answered("/rollbak staging"), 0);
  // Another pull request has its own.
  const other = await repositoryWithPullRequest("repeat-other");
  assert.equal((await command(other.repo, other.number, "passer-by", "/help")).replies.length, 1);
  t.sim.assertNoViolations();
});

test("authorization matrix: each permission level against each command", async () => {
  const { repo, number } = await repositoryWithPullRequest("matrix");
  const levels = ["read", "triage", "write", "maintain", "admin"] as const;
  const expectations: Record<string, Record<(typeof levels)[number], boolean>> = {
    "/plan staging": { read: false, triage: false, write: true, maintain: true, admin: true },
    "/lock staging": { read: false, triage: false, write: true, maintain: true, admin: true },
    "/unlock staging": { read: false, triage: false, write: true, maintain: true, admin: true },
    "/rollback staging": { read: false, triage: false, write: true, maintain: true, admin: true },
    "/rollback production": { read: false, triage: false, write: false, maintain: true, admin: true },
  };
  for (const level of levels) t.sim.setPermission(repo, `user-${level}`, level);
  for (const [body, allowed] of Object.entries(expectations)) {
    for (const level of levels) {
      const { replies } = await command(repo, number, `user-${level}`, body);
      assert.equal(replies.length, 1, `${body} by ${level}: one reply`);
      const refused = /needs the (maintain|write) permission/.test(replies[0]!);
      assert.equal(!refused, allowed[level], `${body} by ${level}: ${replies[0]}`);
      if (body.startsWith("/unlock") || body.startsWith("/lock")) {
        // Leave the environment as the next row expects it: unlocked.
        if (body.startsWith("/lock") && !refused) await command(repo, number, `user-${level}`, "/unlock staging");
      }
    }
  }
  t.sim.assertNoViolations();
});

test("a stranger's command is refused and changes nothing; unknown and quoted commands behave", async () => {
  const { repo, number } = await repositoryWithPullRequest("stranger");
  const refused = await command(repo, number, "stranger", "/lock staging");
  assert.equal(refused.replies.length, 1);
  assert.match(refused.replies[0]!, /`\/lock` on `staging` needs the write permission or higher; stranger has read\./);

  t.sim.setPermission(repo, "maintainer", "maintain");
  const typo = await command(repo, number, "maintainer", "/rollbak staging");
  assert.match(typo.replies[0]!, /Did you mean `\/rollback`\?/);
  const quoted = await command(repo, number, "maintainer", "> /lock staging\n\nthat is what I would type");
  assert.deepEqual(quoted.replies, []);
  const fenced = await command(repo, number, "maintainer", "```\n/lock staging\n```");
  assert.deepEqual(fenced.replies, []);
  t.sim.assertNoViolations();
});

test("/lock holds an environment: another pull request's plan check fails naming the holder until the holder closes", async () => {
  const repo = await t.sim.createRepository({
    name: "locks",
    files: { ".github/slipway.yml": config, "deploy/staging/settings.yaml": configMap("1"), "deploy/production/settings.yaml": configMap("1") },
  });
  t.sim.setPermission(repo, "octocat", "write");
  const holder = await t.sim.openPullRequest({ repo, head: "holder", author: "octocat", files: { "deploy/staging/settings.yaml": configMap("2") } });
  await t.settle();
  const locked = await command(repo, holder.number, "octocat", "/lock staging");
  assert.match(locked.replies[0]!, /`staging` is locked for #\d+/);

  const other = await t.sim.openPullRequest({ repo, head: "other", author: "octocat", files: { "deploy/staging/settings.yaml": configMap("3") } });
  await t.settle();
  const [blocked] = t.sim.checkRuns(repo, { headSha: other.headSha, name: "Slipway / plan: staging" });
  assert.ok(blocked);
  assert.equal(blocked.conclusion, "failure");
  assert.match(blocked.output.title ?? "", new RegExp(`^Locked by #${holder.number}`));

  // The holder's own plan is not blocked.
  const [own] = t.sim.checkRuns(repo, { headSha: holder.headSha, name: "Slipway / plan: staging" });
  assert.equal(own?.conclusion, "success");

  await t.sim.closePullRequest({ repo, number: holder.number });
  await t.settle();
  // A /plan approves a head pushed in an earlier second than the comment (GitHub's resolution).
  await nextSecond();
  const again = await command(repo, other.number, "octocat", "/plan staging");
  assert.match(again.replies[0]!, /Planning `staging`/);
  const runs = t.sim.checkRuns(repo, { headSha: other.headSha, name: "Slipway / plan: staging" });
  assert.equal(runs.at(-1)?.conclusion, "success");
  t.sim.assertNoViolations();
});
