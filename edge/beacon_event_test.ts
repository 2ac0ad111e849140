import assert from "node:assert/strict";
import { parseBeaconEvent } from "./beacon_event.ts";

Deno.test("parseBeaconEvent() takes pageviews and conversions, ignoring unknown fields", () => {
  assert.deepEqual(parseBeaconEvent({ type: "pageview" }), { type: "pageview" });
  assert.deepEqual(parseBeaconEvent({ type: "pageview", path: "/p/1", extra: 1 }), {
    type: "pageview",
    path: "/p/1",
  });
  assert.deepEqual(parseBeaconEvent({ type: "conversion" }), { type: "conversion" });
  assert.deepEqual(
    parseBeaconEvent({ type: "conversion", value: 1999, currency: "USD", order_id: "o-1" }),
    { type: "conversion", value: 1999, currency: "USD", order_id: "o-1" },
  );
  assert.deepEqual(
    parseBeaconEvent({ type: "conversion", value: 0, currency: null, order_id: null }),
    { type: "conversion", value: 0, currency: null, order_id: null },
  );
});

Deno.test("parseBeaconEvent() refuses what a beacon never sends", () => {
  const refused: unknown[] = [
    null,
    "pageview",
    [],
    {},
    { type: "click" },
    { type: "pageview", path: 7 },
    { type: "pageview", path: "/".repeat(2049) },
    { type: "conversion", value: -1 },
    { type: "conversion", value: 1.5 },
    { type: "conversion", value: 1e11 },
    { type: "conversion", value: "1999" },
    { type: "conversion", currency: "usd" },
    { type: "conversion", currency: "EURO" },
    { type: "conversion", order_id: "x".repeat(201) },
    { type: "conversion", order_id: 5 },
  ];
  for (const input of refused) {
    assert.throws(() => parseBeaconEvent(input), TypeError, JSON.stringify(input)?.slice(0, 60));
  }
});
