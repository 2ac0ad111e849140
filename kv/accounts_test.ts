import assert from "node:assert/strict";
import {
  authenticate,
  createToken,
  ensureDefaultAccount,
  isWellFormedToken,
  registerBootstrapToken,
  revokeToken,
} from "./accounts.ts";
import { tokenByHashKey } from "./keys.ts";
import { sha256Hex } from "../lib/crypto.ts";

Deno.test("tokens are stored only as a hash, carry a checksum, and can be revoked", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const account = await ensureDefaultAccount(kv);
    const { token, record } = await createToken(kv, account.id, "ci");
    assert.ok(await isWellFormedToken(token));
    assert.ok(!(await isWellFormedToken(token.slice(0, -1) + (token.endsWith("a") ? "b" : "a"))));
    for await (const entry of kv.list({ prefix: [] })) {
      assert.ok(
        !JSON.stringify(entry, (_, v) => typeof v === "bigint" ? String(v) : v).includes(token),
      );
    }
    assert.equal((await kv.get(tokenByHashKey(await sha256Hex(token)))).value !== null, true);
    assert.equal((await authenticate(kv, token))?.accountId, account.id);
    await revokeToken(kv, account.id, record.id);
    assert.equal(await authenticate(kv, token), null);
  } finally {
    kv.close();
  }
});

Deno.test("the default account and the bootstrap token are created once", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const [a, b] = await Promise.all([ensureDefaultAccount(kv), ensureDefaultAccount(kv)]);
    assert.equal(a.id, b.id);
    const token = "x".repeat(40);
    const first = await registerBootstrapToken(kv, a.id, token);
    const second = await registerBootstrapToken(kv, a.id, token);
    assert.equal(first.id, second.id);
  } finally {
    kv.close();
  }
});
