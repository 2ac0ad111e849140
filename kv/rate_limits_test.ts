import assert from "node:assert/strict";
import { RateLimitedError } from "../lib/errors.ts";
import { addressSubject, emailSubject, takeLimit } from "./rate_limits.ts";
import { rateLimitKey } from "./keys.ts";

Deno.test("an IPv6 client is counted by its /64; IPv4 (mapped or not) by its address", () => {
  assert.equal(addressSubject("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  assert.equal(addressSubject("2001:0db8:0001:0002:ffff:0:0:9"), "2001:db8:1:2::/64");
  assert.equal(addressSubject("2001:db8::9"), "2001:db8:0:0::/64");
  assert.equal(addressSubject("::1"), "0:0:0:0::/64");
  assert.equal(addressSubject("fe80::1%eth0"), "fe80:0:0:0::/64");
  assert.equal(addressSubject("203.0.113.9"), "203.0.113.9");
  assert.equal(addressSubject("::ffff:203.0.113.9"), "203.0.113.9");
});

Deno.test("an email is counted by its hash, whatever its case", async () => {
  assert.equal(await emailSubject(" Ana@Shop.example"), await emailSubject("ana@shop.example"));
  assert.doesNotMatch(await emailSubject("ana@shop.example"), /ana|shop/);
});

Deno.test("a burst of 60 at once from one subject lets exactly its 30 through", async () => {
  using kv = await Deno.openKv(":memory:");
  const limit = { name: "t", max: 30, windowMs: 60_000, code: "t", message: "T" };
  const now = Date.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: 60 }, () => takeLimit(kv, limit, "s", now)),
  );
  const passed = outcomes.filter((outcome) => outcome.status === "fulfilled").length;
  for (const outcome of outcomes) {
    if (outcome.status === "rejected") assert.ok(outcome.reason instanceof RateLimitedError);
  }
  const stored = await kv.get<{ count: number }>(rateLimitKey("t", "s"));
  assert.equal(passed, 30, "none over the limit, none lost to a lost commit");
  assert.equal(stored.value?.count, passed, "every request let through was counted");
});
