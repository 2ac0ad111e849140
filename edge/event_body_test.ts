import assert from "node:assert/strict";
import { parseEvent } from "./event_body.ts";

Deno.test("page views and conversions are read, unknown keys ignored", () => {
  assert.deepEqual(parseEvent({ type: "pageview" }), { type: "pageview" });
  assert.deepEqual(parseEvent({ type: "pageview", path: "/cart", extra: 1 }), {
    type: "pageview",
    path: "/cart",
  });
  assert.deepEqual(
    parseEvent({ type: "conversion", value: 1999, currency: "EUR", order_id: "o1" }),
    { type: "conversion", value: 1999, currency: "EUR", order_id: "o1" },
  );
  assert.equal(parseEvent({ type: "conversion", currency: null })?.type, "conversion");
});

Deno.test("anything else is not an event", () => {
  for (
    const body of [
      null,
      [],
      "pageview",
      {},
      { type: "click" },
      { type: "pageview", path: 7 },
      { type: "pageview", path: "x".repeat(2049) },
      { type: "conversion", value: -1 },
      { type: "conversion", value: 1.5 },
      { type: "conversion", value: 1e11 },
      { type: "conversion", value: "10" },
      { type: "conversion", currency: "eur" },
      { type: "conversion", order_id: "o".repeat(201) },
    ]
  ) {
    assert.equal(parseEvent(body), null, JSON.stringify(body));
  }
});
