import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { connect, type Socket } from "node:net";
import { startTestApp, type TestApp } from "../support/start-test-app.js";

// The webhook endpoint against senders that are not GitHub: every answer is a status that says
// what was wrong, never a 500 or an error in the log, and no sender can make it hold more than
// MAX_PENDING_WEBHOOKS bodies at once.

let t: TestApp;
before(async () => {
  t = await startTestApp({ env: { MAX_PENDING_WEBHOOKS: "2" }, deliveryPruneIntervalMs: 100 });
});
after(async () => {
  await t?.close();
});

// A fixed body, so every wrong digest below is the same on every run.
const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
const hmac = (secret: string, text: string) => createHmac("sha256", secret).update(text).digest("hex");

async function post(payload: string, signature: string | undefined, delivery: string): Promise<Response> {
  return fetch(t.webhookUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "ping",
      "x-github-delivery": delivery,
      ...(signature !== undefined ? { "x-hub-signature-256": signature } : {}),
    },
    body: payload,
  });
}

const errorLogs = () => t.logs.filter((line) => Number(line.level) >= 50);

/** Sends raw bytes and resolves with the status line of the answer ("" when the connection closes without one). */
function rawRequest(head: string, bodyPart: string, options: { endAfterWrite: boolean }): { socket: Socket; status: Promise<string> } {
  const url = new URL(t.webhookUrl);
  const socket = connect(Number(url.port), url.hostname);
  socket.write(head + bodyPart);
  if (options.endAfterWrite) socket.end();
  let received = "";
  const status = new Promise<string>((resolve) => {
    socket.on("data", (chunk) => (received += chunk));
    socket.on("close", () => resolve(received.split("\r\n")[0] ?? ""));
    socket.on("error", () => undefined);
  });
  return { socket, status };
}

function requestHead(contentLength: number, signature: string): string {
  const url = new URL(t.webhookUrl);
  return [
    `POST ${url.pathname} HTTP/1.1`,
    `Host: ${url.host}`,
    "Content-Type: application/json",
    "X-GitHub-Event: ping",
    "X-GitHub-Delivery: raw-delivery",
    `X-Hub-Signature-256: ${signature}`,
    `Content-Length: ${contentLength}`,
    "Connection: close",
    "",
    "",
  ].join("\r\n");
}

test("a signed body gets 202; wrong digests of every shape get 401 and record nothing", async () => {
  const right = hmac(t.sim.webhookSecret, body);
  // Another secret whose digest of this body starts with 0, so a check that stops at a leading 0 is caught every run.
  let other = 0;
  while (!hmac(`not-the-secret-${other}`, body).startsWith("0")) other++;
  const wrong = {
    "all zeros, right length": `sha256=${"0".repeat(64)}`,
    "one zero": "sha256=0",
    "the right digest, truncated": `sha256=${right.slice(0, 63)}`,
    "the right digest, one digit changed": `sha256=${right[0] === "0" ? "1" : "0"}${right.slice(1)}`,
    "the right digest, upper case": `sha256=${right.toUpperCase()}`,
    "another secret's digest": `sha256=${hmac(`not-the-secret-${other}`, body)}`,
    "another algorithm's prefix": `sha1=${right}`,
    empty: "",
  };
  for (const [name, signature] of Object.entries(wrong)) {
    const response = await post(body, signature, `wrong-${name}`);
    assert.equal(response.status, 401, name);
  }
  const recorded = await t.app.db.query<{ id: string }>("SELECT id FROM webhook_deliveries WHERE id LIKE 'wrong-%'");
  assert.deepEqual(recorded, []);
  assert.equal((await post(body, `sha256=${right}`, "right")).status, 202);
  assert.deepEqual(errorLogs(), []);
});

test("an empty body answers 400 whatever its signature, with no error in the log", async () => {
  for (const signature of [`sha256=${hmac(t.sim.webhookSecret, "")}`, `sha256=${"0".repeat(64)}`, `sha256=${hmac(t.sim.webhookSecret, body)}`]) {
    const response = await post("", signature, "empty");
    assert.equal(response.status, 400, signature);
    assert.match(((await response.json()) as { message: string }).message, /Empty body/);
  }
  assert.deepEqual(errorLogs(), []);
});

test("a truncated body answers 400, with no error in the log", async () => {
  const signature = `sha256=${hmac(t.sim.webhookSecret, body)}`;
  // Promises the whole body, sends half and stops sending.
  const truncated = rawRequest(requestHead(body.length, signature), body.slice(0, body.length / 2), { endAfterWrite: true });
  assert.match(await truncated.status, /^HTTP\/1\.1 400 /);
  // Signed over the whole body but sent cut short (and so declared): the signature cannot match.
  assert.equal((await post(body.slice(0, 20), signature, "cut")).status, 401);
  // Signed over exactly what was sent: not JSON.
  assert.equal((await post(body.slice(0, 20), `sha256=${hmac(t.sim.webhookSecret, body.slice(0, 20))}`, "cut-signed")).status, 400);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(errorLogs(), []);
});

test("more bodies at once than MAX_PENDING_WEBHOOKS get 503 with Retry-After; the slots free up", async () => {
  const signature = `sha256=${"0".repeat(64)}`;
  // Two senders that announce a body and dawdle: both slots are taken.
  const slow = [0, 1].map(() => rawRequest(requestHead(10_000, signature), "{", { endAfterWrite: false }));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const refused = await post(body, `sha256=${hmac(t.sim.webhookSecret, body)}`, "third");
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get("retry-after"), "5");
  await refused.text();

  for (const { socket } of slow) socket.destroy();
  await Promise.all(slow.map(({ status }) => status));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal((await post(body, `sha256=${hmac(t.sim.webhookSecret, body)}`, "after")).status, 202);
  assert.deepEqual(errorLogs(), []);
});

test("delivery ids older than DELIVERY_RETENTION_HOURS are pruned on a schedule; newer ones stay", async () => {
  await t.app.db.query(
    `INSERT INTO webhook_deliveries (id, event, received_at) VALUES
       ('eight-days-old', 'push', now() - interval '8 days'),
       ('six-days-old', 'push', now() - interval '6 days')`,
  );
  await t.sim.waitFor(async () => (await t.app.db.query("SELECT id FROM webhook_deliveries WHERE id = 'eight-days-old'")).length === 0, { timeoutMs: 5_000 });
  const kept = await t.app.db.query<{ id: string }>("SELECT id FROM webhook_deliveries WHERE id IN ('six-days-old', 'right')");
  assert.deepEqual(kept.map((row) => row.id).sort(), ["right", "six-days-old"]);
});
