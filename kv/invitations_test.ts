import assert from "node:assert/strict";
import { createAccount } from "./accounts.ts";
import {
  acceptInvitation,
  createInvitation,
  INVITATION_MS,
  listInvitations,
  MAX_PENDING_INVITATIONS,
} from "./invitations.ts";
import { createPerson, getMember } from "./people.ts";

async function setUp() {
  const kv = await Deno.openKv(":memory:");
  const account = await createAccount(kv, "Shop");
  return { kv, account };
}

Deno.test("of many browsers racing with one invitation link, exactly one joins", async () => {
  const { kv, account } = await setUp();
  try {
    const { secret } = await createInvitation(kv, {
      accountId: account.id,
      email: "team@example.com",
      role: "developer",
      invitedBy: null,
    });
    // Only the invited email may accept: its person, signed in on five browsers at once.
    const person = await createPerson(kv, { email: "team@example.com", name: "Team" });
    const results = await Promise.all(
      [0, 1, 2, 3, 4].map(() => acceptInvitation(kv, secret, person)),
    );
    assert.equal(results.filter((r) => r !== null).length, 1);
    assert.equal(results.filter((r) => r?.joined).length, 1);
    assert.equal((await getMember(kv, account.id, person.id))?.role, "developer");
  } finally {
    kv.close();
  }
});

Deno.test("an invitation works for 7 days and then neither opens nor lists", async () => {
  const { kv, account } = await setUp();
  try {
    const now = Date.parse("2026-11-20T09:30:00Z");
    const { secret } = await createInvitation(kv, {
      accountId: account.id,
      email: "late@example.com",
      role: "analyst",
      invitedBy: null,
    }, now);
    const later = now + INVITATION_MS;
    assert.equal((await listInvitations(kv, account.id, {}, later - 1)).items.length, 1);
    assert.equal((await listInvitations(kv, account.id, {}, later)).items.length, 0);
    assert.equal(await acceptInvitation(kv, secret, null, later), null);
    const joined = await acceptInvitation(kv, secret, null, later - 1);
    assert.equal(joined?.person.email, "late@example.com");
    assert.equal(joined?.joined, true);
  } finally {
    kv.close();
  }
});

Deno.test("an account holds at most 100 pending invitations; re-inviting one is still allowed", async () => {
  const { kv, account } = await setUp();
  try {
    const invite = (email: string) =>
      createInvitation(kv, { accountId: account.id, email, role: "analyst", invitedBy: null });
    for (let i = 0; i < MAX_PENDING_INVITATIONS; i++) await invite(`n${i}@example.com`);
    await assert.rejects(invite("one-more@example.com"), { code: "too_many_invitations" });
    await invite("n7@example.com");
    assert.equal((await listInvitations(kv, account.id, { limit: 100 })).items.length, 100);
  } finally {
    kv.close();
  }
});

Deno.test("acceptInvitation() refuses a person whose email is not the invited one", async () => {
  const { kv, account } = await setUp();
  try {
    const { secret } = await createInvitation(kv, {
      accountId: account.id,
      email: "team@example.com",
      role: "owner",
      invitedBy: null,
    });
    const other = await createPerson(kv, { email: "other@example.com", name: "Other" });
    await assert.rejects(
      () => acceptInvitation(kv, secret, other),
      /This invitation is for "team@example.com", and you are signed in as "other@example.com"/,
    );
    assert.equal(await getMember(kv, account.id, other.id), null);
  } finally {
    kv.close();
  }
});
