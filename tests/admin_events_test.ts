/**
 * The admin's live updates (`/apps/:slug/events`): a session holds a few streams at most, and a
 * stream ends within seconds once its session is signed out or its person removed, before any
 * further notice reaches them.
 */
import assert from "node:assert/strict";
import { removeMember } from "../kv/members.ts";
import { STREAMS_PER_SESSION } from "../routes/admin/stream_guard.ts";
import { install } from "./helpers/fixtures.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import { signIn, signInMember } from "./helpers/session.ts";

function openEvents(server: TestServer, cookie: string, slug = "live") {
  return fetch(`http://127.0.0.1:${server.port}/apps/${slug}/events`, { headers: { cookie } });
}

/** Everything the stream sends until it ends; fails the test if it has not ended in 15 s. */
async function untilEnded(response: Response): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the stream is still open")), 15_000);
  });
  try {
    return await Promise.race([response.text(), late]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("a session holds at most a few event streams; a closed one frees its place", async () => {
  const server = await startServer();
  try {
    await install(server, "live", { "index.html": "x" });
    const owner = await signIn(server);
    const open = [];
    for (let i = 0; i < STREAMS_PER_SESSION; i++) {
      const res = await openEvents(server, owner.cookie);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type")!, /^text\/event-stream/);
      open.push(res);
    }
    const refused = await openEvents(server, owner.cookie);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("retry-after"), "30");
    assert.match(await refused.text(), /Too many live updates open: at most 5 for one sign-in/);

    // Another sign-in (another tab's browser, a phone) has its own places.
    const other = await openEvents(server, (await signIn(server)).cookie);
    assert.equal(other.status, 200);
    await other.body?.cancel();

    await open.pop()!.body!.cancel();
    // The server sees the cancel once the socket closes; give it a moment.
    let again = await openEvents(server, owner.cookie);
    for (let i = 0; again.status === 429 && i < 50; i++) {
      await again.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await openEvents(server, owner.cookie);
    }
    assert.equal(again.status, 200, "the closed stream's place was given back");
    await again.body?.cancel();
    for (const res of open) await res.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("a removed member's stream ends without another notice; so does a signed-out one", async () => {
  const server = await startServer();
  try {
    await install(server, "live", { "index.html": "x" });
    const { person, browser: dev } = await signInMember(
      server,
      "dev@example.com",
      "developer",
      "Dev",
    );
    const stream = await openEvents(server, dev.cookie);
    assert.equal(stream.status, 200);
    const ended = untilEnded(stream);

    await removeMember(server.kv, server.accountId, person.id);
    await install(server, "live", { "index.html": "a new version" });
    const seen = await ended;
    assert.ok(seen.startsWith("retry: 2000"), seen);
    assert.ok(!seen.includes("event: change"), `a removed member was told: ${seen}`);

    const owner = await signIn(server);
    const ownerStream = await openEvents(server, owner.cookie);
    const ownerEnded = untilEnded(ownerStream);
    const out = await fetch(`http://127.0.0.1:${server.port}/auth/signout`, {
      method: "POST",
      headers: { cookie: owner.cookie, "sec-fetch-site": "same-origin" },
    });
    assert.equal(out.status, 204);
    assert.ok((await ownerEnded).startsWith("retry: 2000"));
  } finally {
    await server.close();
  }
});
