import assert from "node:assert/strict";
import { serializeProps } from "./islands.ts";

Deno.test("island props are JSON that cannot close their script element", () => {
  const text = serializeProps("Note", { note: "</script><script>alert(1)</script> <!-- &" });
  assert.doesNotMatch(text, /<|>|&/);
  assert.deepEqual(JSON.parse(text), { note: "</script><script>alert(1)</script> <!-- &" });
});

Deno.test("island props refuse functions, dates and other non-JSON values, naming where", () => {
  assert.throws(
    () => serializeProps("Promote", { onDone: () => {} }),
    /Island "Promote" was given a function at "props.onDone"/,
  );
  assert.throws(
    () => serializeProps("Promote", { list: [{ at: new Date(0) }] }),
    /a Date at "props.list\[0\].at"/,
  );
  assert.throws(() => serializeProps("X", { n: NaN }), /props.n/);
  assert.throws(() => serializeProps("X", { m: new Map() }), /a Map/);
  assert.equal(
    serializeProps("X", { a: [1, "b", null, true], skip: undefined }),
    '{"a":[1,"b",null,true]}',
  );
});
