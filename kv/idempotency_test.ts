/**
 * Idempotency claims: a request gives up only its own claim. A claim gone stale and taken over by
 * a retry that charged and stored its answer must survive the first request's late release.
 */
import assert from "node:assert/strict";
import { claimKey, releaseKey, storeResult } from "./idempotency.ts";

const scope = { accountId: "acc", tokenId: "tok", key: "attempt-1" };

Deno.test("releaseKey leaves a result stored by the retry that took a stale claim over", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    let clock = 1_000_000;
    const now = () => clock;
    const first = await claimKey(kv, scope, "fp", now);
    assert.ok(first.claim, "the first request claims the key");
    clock += 61_000; // the first request hangs past the stale-claim limit
    const retry = await claimKey(kv, scope, "fp", now);
    assert.ok(retry.claim, "the retry takes the stale claim over");
    await storeResult(kv, scope, "fp", { status: 201, body: { payment_id: "P1" } }, clock);
    // The first request now fails (the cart is held by the retry) and gives its claim up.
    assert.equal(await releaseKey(kv, scope, first.claim), false);
    const later = await claimKey(kv, scope, "fp", now);
    assert.deepEqual(later.result, { status: 201, body: { payment_id: "P1" } });
  } finally {
    kv.close();
  }
});

Deno.test("releaseKey frees a key its own request still holds", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = () => 5_000;
    const mine = await claimKey(kv, scope, "fp", now);
    assert.equal(await releaseKey(kv, scope, mine.claim!), true);
    const again = await claimKey(kv, scope, "fp", now);
    assert.ok(again.claim, "a retry claims afresh");
  } finally {
    kv.close();
  }
});
