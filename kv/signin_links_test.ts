/** One-time sign-in links: a create never writes over a link already stored. */
import assert from "node:assert/strict";
import { peekSignInLink, saveSignInLink, type SignInLink } from "./signin_links.ts";
import { nowIso } from "./ids.ts";

Deno.test("saveSignInLink() refuses a secret already stored and keeps the first link", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const secret = "s".repeat(43);
    const link = (personId: string): SignInLink => ({
      person_id: personId,
      account_id: null,
      purpose: "email",
      expires_at: nowIso(Date.now() + 60_000),
    });
    await saveSignInLink(kv, secret, link("per_first"));
    await assert.rejects(() => saveSignInLink(kv, secret, link("per_second")), /collided/);
    assert.equal((await peekSignInLink(kv, secret))?.person_id, "per_first");
  } finally {
    kv.close();
  }
});
