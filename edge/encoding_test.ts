import assert from "node:assert/strict";
import { Encodings } from "./encoding.ts";

Deno.test("Encodings.accepted() orders by q-value, then smallest first, honouring q=0", () => {
  const cases: [string | null, string[]][] = [
    [null, ["identity"]],
    ["", ["identity"]],
    ["gzip, deflate, br, zstd", ["br", "gzip", "identity"]],
    ["gzip", ["gzip", "identity"]],
    ["br;q=0.5, gzip", ["gzip", "br", "identity"]],
    ["BR, GZip", ["br", "gzip", "identity"]],
    ["x-gzip", ["gzip", "identity"]],
    ["*", ["br", "gzip", "identity"]],
    ["*;q=0", []],
    ["*;q=0, identity", ["identity"]],
    ["identity;q=0", []],
    ["br;q=0, gzip;q=0", ["identity"]],
    ["gzip;q=0.2, identity;q=0.5", ["identity", "gzip"]],
    ["br;q=abc, gzip", ["gzip", "identity"]],
    ["br;q=2", ["identity"]],
  ];
  const encodings = new Encodings();
  for (const [header, expected] of cases) {
    assert.deepEqual(encodings.accepted(header), expected, String(header));
    assert.deepEqual(encodings.accepted(header), expected, `${header} (remembered)`);
  }
});
