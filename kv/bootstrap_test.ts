import assert from "node:assert/strict";
import { bootstrap } from "./bootstrap.ts";
import { authenticate } from "./accounts.ts";
import { testConfig } from "../config.ts";

Deno.test("the very first start makes one owner token, shown once; later starts make none", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const config = testConfig({ bootstrapToken: undefined });
    const [a, b] = await Promise.all([bootstrap(kv, config), bootstrap(kv, config)]);
    const tokens = [a.firstToken, b.firstToken].filter((t) => t !== null);
    assert.equal(tokens.length, 1, "two instances starting at once make one token");
    assert.equal((await authenticate(kv, tokens[0]!))?.accountId, a.account.id);
    assert.equal((await bootstrap(kv, config)).firstToken, null);
  } finally {
    kv.close();
  }
});

Deno.test("with a bootstrap token configured, no first-start token is made", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const started = await bootstrap(kv, testConfig({ bootstrapToken: "b".repeat(40) }));
    assert.equal(started.firstToken, null);
  } finally {
    kv.close();
  }
});
