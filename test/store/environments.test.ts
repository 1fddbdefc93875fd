import assert from "node:assert/strict";
import { it } from "node:test";
import { clearEnvironmentLock, getEnvironmentLock, setEnvironmentLock } from "../../src/store/environments/environment-locks.js";
import { clearEnvironmentPin, getEnvironmentPin, setEnvironmentPin } from "../../src/store/environments/environment-pins.js";
import { getPullRequestHeadPushedAt, recordPullRequestHead } from "../../src/store/pull-requests/pull-request-heads.js";
import { forEachBackend, useStore } from "./support/store-backends.js";

const env = "acme/app/production";

forEachBackend((backend) => {
  const store = useStore(backend);

  it("pins an environment, replaces the pin, and clears it", async () => {
    assert.equal(await getEnvironmentPin(store.db, env), null);
    await setEnvironmentPin(store.db, { environmentKey: env, sha: "a1", reason: "rollback", pinnedBy: "octocat" });
    const replaced = await setEnvironmentPin(store.db, { environmentKey: env, sha: "b2" });
    assert.deepEqual(
      { ...replaced, createdAt: undefined },
      { environmentKey: env, sha: "b2", reason: null, pinnedBy: null, revertPullNumber: null, createdAt: undefined },
    );
    assert.equal((await getEnvironmentPin(store.db, env))?.sha, "b2");
    assert.equal(await clearEnvironmentPin(store.db, env), true);
    assert.equal(await clearEnvironmentPin(store.db, env), false);
    assert.equal(await getEnvironmentPin(store.db, env), null);
  });

  it("lifts a rollback pin only by the revert pull request recorded with it", async () => {
    await setEnvironmentPin(store.db, { environmentKey: env, sha: "a1", pinnedBy: "octocat", revertPullNumber: 7 });
    assert.equal((await getEnvironmentPin(store.db, env))?.revertPullNumber, 7);
    assert.equal(await clearEnvironmentPin(store.db, env, undefined, { revertPullNumber: 8 }), false, "another pull request lifts nothing");
    assert.equal(await clearEnvironmentPin(store.db, env, undefined, { revertPullNumber: 7 }), true);
    await setEnvironmentPin(store.db, { environmentKey: env, sha: "a1", pinnedBy: "octocat" });
    assert.equal(
      await clearEnvironmentPin(store.db, env, undefined, { revertPullNumber: 7 }),
      false,
      "a pin without a revert pull request is lifted only by hand",
    );
    assert.equal(await clearEnvironmentPin(store.db, env), true);
  });

  it("keeps an automatic rollback's failed commit in its own field, apart from the reason", async () => {
    const failed = "f".repeat(40);
    await setEnvironmentPin(store.db, { environmentKey: env, sha: "a1", reason: "automatic rollback", pinnedBy: "slipway", failedSha: failed });
    assert.equal((await getEnvironmentPin(store.db, env))?.failedSha, failed);
    await setEnvironmentPin(store.db, { environmentKey: env, sha: "a1", reason: `rollback from ${failed}`, pinnedBy: "octocat" });
    assert.equal((await getEnvironmentPin(store.db, env))?.failedSha, undefined, "a sha in the reason is only words");
    assert.equal(await clearEnvironmentPin(store.db, env), true);
  });

  it("remembers the earliest time a pull request head was reported", async () => {
    const head = { repository: "Acme/App", pullNumber: 4, headSha: "c3" };
    assert.equal(await getPullRequestHeadPushedAt(store.db, head), null);
    await recordPullRequestHead(store.db, { ...head, pushedAt: new Date("2026-11-22T12:00:05Z") });
    await recordPullRequestHead(store.db, { ...head, pushedAt: new Date("2026-11-22T12:00:01Z") });
    await recordPullRequestHead(store.db, { ...head, pushedAt: new Date("2026-11-22T12:00:09Z") });
    assert.equal((await getPullRequestHeadPushedAt(store.db, { ...head, repository: "acme/app" }))?.toISOString(), "2026-11-22T12:00:01.000Z");
    assert.equal(await getPullRequestHeadPushedAt(store.db, { ...head, pullNumber: 5 }), null);
  });

  it("gives an environment lock to one holder at a time", async () => {
    const first = await setEnvironmentLock(store.db, { environmentKey: env, holder: "#12" });
    assert.equal(first.status, "locked");
    assert.equal((await setEnvironmentLock(store.db, { environmentKey: env, holder: "#12" })).status, "locked", "taking it again is fine");
    const other = await setEnvironmentLock(store.db, { environmentKey: env, holder: "#13" });
    assert.deepEqual({ status: other.status, holder: other.lock.holder }, { status: "held", holder: "#12" });

    assert.equal(await clearEnvironmentLock(store.db, env, { holder: "#13" }), false, "only the holder releases it");
    assert.equal((await getEnvironmentLock(store.db, env))?.holder, "#12");
    assert.equal(await clearEnvironmentLock(store.db, env, { holder: "#12" }), true);
    assert.equal(await getEnvironmentLock(store.db, env), null);

    await setEnvironmentLock(store.db, { environmentKey: env, holder: "#13" });
    assert.equal(await clearEnvironmentLock(store.db, env), true, "an admin may release any lock");
  });

  it("lets one of many simultaneous lock requests win", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => setEnvironmentLock(store.db, { environmentKey: env, holder: `#${i}` })));
    const winners = results.filter((result) => result.status === "locked");
    assert.equal(winners.length, 1);
    assert.ok(results.every((result) => result.lock.holder === winners[0]!.lock.holder));
  });
});
