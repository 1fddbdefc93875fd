import assert from "node:assert/strict";
import { test } from "node:test";
import { environmentLabelValue } from "../../../src/core/plan/environment-label-value.js";
import { environmentSelector } from "../../../src/core/plan/slipway-labels.js";

const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

test("owner.repo.env, lower case", () => {
  assert.equal(environmentLabelValue("Acme", "Shop.Web", "prod"), "acme.shop.web.prod");
  assert.equal(environmentLabelValue("acme", "shop", "prod"), environmentLabelValue("ACME", "Shop", "prod"));
  assert.equal(environmentSelector("acme.shop.prod"), "app.kubernetes.io/managed-by=slipway,slipway.dev/environment=acme.shop.prod");
});

test("always a valid label value of at most 63 characters, distinct when cut", () => {
  const long = "r".repeat(80);
  const a = environmentLabelValue("acme", long, "prod");
  const b = environmentLabelValue("acme", long, "staging");
  for (const value of [a, b, environmentLabelValue("-x-", "_y_", "z"), environmentLabelValue("o", "repo+weird name", "e")]) {
    assert.ok(value.length <= 63, value);
    assert.match(value, labelValue);
  }
  assert.notEqual(a, b);
  assert.equal(a, environmentLabelValue("acme", long, "prod"), "stable");
});
