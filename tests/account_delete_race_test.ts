/**
 * Deleting an account while an app is being made in it (review finding 10): of the two, exactly
 * one wins, every time — never a live app in a deleted account, never both refused. Run on a
 * real KV with the two started together, one of them after 0–7 KV round trips, either way
 * round, many times: that sweeps every interleaving of their reads and commits, including the
 * one where the app's commit lands between the delete's "no apps" read and its commit.
 */
import assert from "node:assert/strict";
import { createAccount, getAccount } from "../kv/accounts.ts";
import { deleteAccount } from "../kv/account_changes.ts";
import { createApp, findAppBySlug, listApps } from "../kv/apps.ts";
import { ConflictError, NotFoundError } from "../lib/errors.ts";

const ROUNDS = 160;

/** Waits `hops` KV round trips: a delay measured in the steps the racers themselves take. */
async function pause(kv: Deno.Kv, hops: number): Promise<void> {
  for (let hop = 0; hop < hops; hop++) await kv.get(["race_test_hop"]);
}

async function settle<T>(
  wait: Promise<void>,
  work: () => Promise<T>,
  refusal: new (...a: never[]) => Error,
) {
  await wait;
  try {
    await work();
    return true;
  } catch (error) {
    assert.ok(error instanceof refusal, `unexpected ${error}`);
    return false;
  }
}

Deno.test("an app made while its account is deleted: exactly one of the two wins", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const wins = { create: 0, delete: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const account = await createAccount(kv, `Shop ${round}`);
      const slug = `race-${round}`;
      const hops = round % 8;
      const createWaits = round % 16 >= 8;
      const [created, deleted] = await Promise.all([
        settle(
          pause(kv, createWaits ? hops : 0),
          () => createApp(kv, account.id, { slug, name: "Race" }, "example.com"),
          NotFoundError,
        ),
        settle(
          pause(kv, createWaits ? 0 : hops),
          () => deleteAccount(kv, account.id),
          ConflictError,
        ),
      ]);
      assert.notEqual(created, deleted, `round ${round}: create ${created}, delete ${deleted}`);
      const apps = (await listApps(kv, account.id, {})).items;
      if (deleted) {
        assert.equal(await getAccount(kv, account.id), null);
        assert.equal(await findAppBySlug(kv, slug), null, `round ${round}: an app outlived it`);
        assert.equal(apps.length, 0);
        wins.delete++;
      } else {
        assert.equal((await getAccount(kv, account.id))?.name, `Shop ${round}`);
        assert.equal((await findAppBySlug(kv, slug))?.account_id, account.id);
        wins.create++;
      }
    }
    assert.ok(wins.create > 0 && wins.delete > 0, `both orders came up: ${JSON.stringify(wins)}`);
  } finally {
    kv.close();
  }
});
