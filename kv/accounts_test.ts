import assert from "node:assert/strict";
import {
  authenticate,
  createToken,
  ensureDefaultAccount,
  isWellFormedToken,
  LAST_USED_EVERY_MS,
  registerBootstrapToken,
  revokeToken,
  type TokenRecord,
} from "./accounts.ts";
import { accountTokenKey, tokenByHashKey } from "./keys.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { countingKv } from "../tests/helpers/fixtures.ts";

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

/** A seeded generator (mulberry32), so a failure names strings that fail again. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("isWellFormedToken() accepts none of 10,000 random strings, most of our shape", async () => {
  const random = seeded(20261128);
  const pick = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
  const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const printable = base62 + "_-+/=.: ";
  for (let i = 0; i < 10_000; i++) {
    // Three in four have the exact shape (prefix, 32 base62, 6 hex): only the checksum can say no.
    const candidate = i % 4 === 0
      ? pick(printable, Math.floor(random() * 60))
      : `sy_${pick(base62, 32)}${pick("0123456789abcdef", 6)}`;
    assert.ok(!(await isWellFormedToken(candidate)), candidate);
  }
});

Deno.test("an expired token is refused like an unknown one; a token without scope is full", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const account = await ensureDefaultAccount(kv);
    const expiresAt = "2026-11-28T12:00:00.000Z";
    const { token } = await createToken(kv, account.id, "ci", { scope: "deploy", expiresAt });
    const before = await authenticate(kv, token, Date.parse(expiresAt) - 1);
    assert.deepEqual([before?.scope, before?.role], ["deploy", "owner"]);
    assert.equal(await authenticate(kv, token, Date.parse(expiresAt)), null);
    // A record written before scopes existed: no scope, no expiry.
    const legacy = "y".repeat(40);
    const { scope: _, expires_at: __, ...old } = await registerBootstrapToken(
      kv,
      account.id,
      legacy,
    );
    await kv.set(tokenByHashKey(await sha256Hex(legacy)), old);
    const principal = await authenticate(kv, legacy);
    assert.deepEqual([principal?.scope, principal?.role], ["full", "owner"]);
  } finally {
    kv.close();
  }
});

Deno.test("last_used_at is written at most once a minute per token", async () => {
  const real = await Deno.openKv(":memory:");
  // Every call goes through one counting handle, so its reads can be told apart.
  const { kv, calls } = countingKv(real);
  try {
    const account = await ensureDefaultAccount(kv);
    const { token, record } = await createToken(kv, account.id, "ci");
    const lastUsed = async () =>
      (await kv.get<TokenRecord>(accountTokenKey(account.id, record.id))).value?.last_used_at;
    const t0 = Date.parse("2026-11-28T10:00:00.000Z");
    assert.equal(await lastUsed(), null);
    await authenticate(kv, token, t0);
    assert.equal(await lastUsed(), new Date(t0).toISOString());
    const stamp = (await kv.get(accountTokenKey(account.id, record.id))).versionstamp;
    // Within the minute a call reads the token and nothing else: the last write is remembered.
    calls.reads = 0;
    for (let s = 1; s < 60; s += 7) await authenticate(kv, token, t0 + s * 1000);
    assert.equal(calls.reads, 9, "one read a call, the token's own");
    assert.equal((await kv.get(accountTokenKey(account.id, record.id))).versionstamp, stamp);
    await authenticate(kv, token, t0 + LAST_USED_EVERY_MS);
    assert.equal(await lastUsed(), new Date(t0 + LAST_USED_EVERY_MS).toISOString());
  } finally {
    real.close();
  }
});
