import assert from "node:assert/strict";
import { it } from "node:test";
import { insertDeployment, listDeployments, listLatestSuccessfulDeployments, updateDeployment } from "../../src/store/deployments/deployment-history.js";
import { forEachBackend, useStore } from "./support/store-backends.js";

const env = "acme/app/production";

forEachBackend((backend) => {
  const store = useStore(backend);

  it("records a deployment and its progress", async () => {
    const started = await insertDeployment(store.db, { environmentKey: env, sha: "a1", kind: "deploy", requestedBy: "octocat" });
    assert.deepEqual(
      { ...started, startedAt: undefined },
      {
        id: 1,
        environmentKey: env,
        sha: "a1",
        status: "pending",
        kind: "deploy",
        requestedBy: "octocat",
        githubDeploymentId: null,
        startedAt: undefined,
        finishedAt: null,
        details: {},
      },
    );
    assert.ok(started.startedAt instanceof Date);

    const running = await updateDeployment(store.db, started.id, {
      status: "in_progress",
      githubDeploymentId: 4_000_000_001,
      details: { applied: 3 },
    });
    assert.equal(running?.githubDeploymentId, 4_000_000_001);
    assert.equal(running?.finishedAt, null);
    const done = await updateDeployment(store.db, started.id, { status: "succeeded", finished: true, details: { pruned: 1 } });
    assert.equal(done?.status, "succeeded");
    assert.ok(done?.finishedAt instanceof Date);
    assert.deepEqual(done?.details, { applied: 3, pruned: 1 });
    assert.equal(await updateDeployment(store.db, 999, { status: "failed" }), null);
  });

  it("lists history newest first and the latest successful deployments of one environment", async () => {
    const a = await insertDeployment(store.db, { environmentKey: env, sha: "a1", kind: "deploy", status: "succeeded" });
    const b = await insertDeployment(store.db, { environmentKey: env, sha: "b2", kind: "deploy", status: "succeeded" });
    await insertDeployment(store.db, { environmentKey: env, sha: "c3", kind: "deploy", status: "failed" });
    await insertDeployment(store.db, { environmentKey: "acme/app/staging", sha: "d4", kind: "deploy", status: "succeeded" });
    const rollback = await insertDeployment(store.db, { environmentKey: env, sha: "a1", kind: "rollback", status: "in_progress" });

    assert.deepEqual(
      (await listDeployments(store.db, env)).map((d) => d.sha),
      ["a1", "c3", "b2", "a1"],
    );
    assert.deepEqual(
      (await listDeployments(store.db, env, { limit: 2 })).map((d) => d.id),
      [rollback.id, 3],
    );
    assert.deepEqual(
      (await listLatestSuccessfulDeployments(store.db, env)).map((d) => d.id),
      [b.id],
    );
    assert.deepEqual(
      (await listLatestSuccessfulDeployments(store.db, env, { limit: 5 })).map((d) => d.id),
      [b.id, a.id],
    );
    assert.deepEqual(await listLatestSuccessfulDeployments(store.db, "acme/app/nowhere"), []);
  });

  it("rejects a status or kind outside the known sets", async () => {
    await assert.rejects(
      insertDeployment(store.db, { environmentKey: env, sha: "a1", kind: "deploy", status: "bogus" as "pending" }),
      (error: { code?: string }) => error.code === "23514",
    );
  });
});
