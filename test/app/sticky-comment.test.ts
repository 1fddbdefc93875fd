import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, type TestApp } from "../support/start-test-app.js";

// The sticky plan comment is the one Slipway's own bot user wrote: another App's comment that
// starts with the same marker is someone else's, and Slipway neither edits nor counts it.

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.close();
});

const marker = "<!-- slipway:plan -->";
const configMap = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  value: "${value}"\n`;

test("another App's comment with Slipway's marker is left alone; Slipway writes and edits its own", async () => {
  const repo = await t.sim.createRepository({
    name: "two-bots",
    files: {
      ".github/slipway.yml": "environments:\n  - name: staging\n    path: deploy/staging\n    cluster: staging\n",
      "deploy/staging/settings.yaml": configMap("1"),
      "README.md": "hello\n",
    },
  });
  // A pull request that touches no environment yet: no plan, no comment.
  const opened = await t.sim.openPullRequest({ repo, head: "change", author: "octocat", files: { "README.md": "hello again\n" } });
  await t.settle();
  assert.deepEqual(t.sim.comments(repo, opened.number), []);

  // Another App (say, a copy-cat bot) writes first, starting with the same marker.
  const impostorBody = `${marker}\nI am another bot.`;
  const { commentId: impostorId } = await t.sim.commentAsOtherApp({ repo, issueNumber: opened.number, appSlug: "copycat", body: impostorBody });
  await t.settle();

  await t.sim.synchronizePullRequest({ repo, number: opened.number, files: { "deploy/staging/settings.yaml": configMap("2") } });
  await t.settle();
  await t.sim.synchronizePullRequest({ repo, number: opened.number, files: { "deploy/staging/settings.yaml": configMap("3") } });
  await t.settle();

  const comments = t.sim.comments(repo, opened.number);
  const impostor = comments.find((c) => c.id === impostorId)!;
  assert.equal(impostor.body, impostorBody, "the other App's comment is untouched");
  const own = comments.filter((c) => c.user.login === t.sim.botLogin);
  assert.equal(own.length, 1, "one sticky comment of Slipway's own");
  assert.ok(own[0]!.body.startsWith(marker));
  assert.match(own[0]!.body, /\+  value: '3'/);
  // Edited in place on the second push, never an attempt to edit the other App's comment.
  assert.ok(!t.sim.requests.some((r) => r.method === "PATCH" && r.path.endsWith(`/issues/comments/${impostorId}`)));
  t.sim.assertNoViolations();
});
