/**
 * The passkey endpoints over plain HTTP, for what needs no authenticator: who may call them
 * (signed in, from our own pages), what they take (bounded, well-formed bodies), and that one
 * person's passkey is out of another's reach (404, never 403).
 */
import assert from "node:assert/strict";
import { createPasskey, listPasskeys } from "../kv/passkeys.ts";
import { createPersonWithAccount } from "../kv/people.ts";
import { startServer, type TestServer } from "./helpers/server.ts";
import { signIn } from "./helpers/session.ts";

function call(
  server: TestServer,
  method: string,
  path: string,
  init: { cookie?: string; body?: string; headers?: Record<string, string> } = {},
) {
  return fetch(`http://127.0.0.1:${server.port}/auth${path}`, {
    method,
    body: init.body,
    headers: {
      "sec-fetch-site": "same-origin",
      "content-type": "application/json",
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...init.headers,
    },
  });
}

function base64url(text: string): string {
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

async function codeOf(response: Response): Promise<[number, string]> {
  return [response.status, (await response.json()).error.code];
}

Deno.test("passkey management needs a session, and every change comes from our own pages", async () => {
  const server = await startServer();
  try {
    assert.deepEqual(await codeOf(await call(server, "GET", "/passkeys")), [401, "not_signed_in"]);
    assert.deepEqual(
      await codeOf(await call(server, "POST", "/passkeys/register/options")),
      [401, "not_signed_in"],
    );
    const { cookie } = await signIn(server);
    const crossSite = { "sec-fetch-site": "cross-site" };
    for (
      const [method, path] of [
        ["POST", "/passkeys/register/options"],
        ["POST", "/passkeys/register"],
        ["DELETE", "/passkeys/x"],
        ["PATCH", "/passkeys/x"],
        ["POST", "/passkey/options"],
        ["POST", "/passkey"],
      ]
    ) {
      const response = await call(server, method, path, { cookie, headers: crossSite, body: "{}" });
      assert.deepEqual(await codeOf(response), [403, "cross_origin_request"], `${method} ${path}`);
    }
    const options = await call(server, "POST", "/passkeys/register/options", { cookie });
    assert.equal(options.status, 200);
    const body = await options.json();
    assert.equal(body.rp.id, "127.0.0.1");
    assert.equal(body.authenticatorSelection.residentKey, "required");
    assert.equal(body.authenticatorSelection.userVerification, "required");
    assert.ok(body.challenge.length >= 16);
  } finally {
    await server.close();
  }
});

Deno.test("passkey bodies are bounded and checked before any verification", async () => {
  const server = await startServer();
  try {
    const { cookie } = await signIn(server);
    const malformed = await call(server, "POST", "/passkey", { body: "{not json" });
    assert.deepEqual(await codeOf(malformed), [400, "malformed_json"]);
    const huge = await call(server, "POST", "/passkey", {
      body: JSON.stringify({ response: { id: "a".repeat(70_000) } }),
    });
    assert.equal(huge.status, 413);
    await huge.body?.cancel();
    const wrong = await call(server, "POST", "/passkeys/register", {
      cookie,
      body: JSON.stringify({ name: "", response: { id: "x", type: "other" } }),
    });
    assert.equal(wrong.status, 422);
    const fields = (await wrong.json()).error.details.map((d: { field: string }) => d.field);
    assert.ok(fields.includes("name") && fields.includes("response.type"), fields.join());
    const unknownChallenge = await call(server, "POST", "/passkey", {
      body: JSON.stringify({
        response: {
          id: "AAAA",
          rawId: "AAAA",
          type: "public-key",
          response: { clientDataJSON: base64url(JSON.stringify({ challenge: "c".repeat(43) })) },
        },
      }),
    });
    assert.deepEqual(await codeOf(unknownChallenge), [401, "passkey_challenge_invalid"]);
  } finally {
    await server.close();
  }
});

Deno.test("another person's passkey is not found, and is left alone", async () => {
  const server = await startServer();
  try {
    const { person: other } = await createPersonWithAccount(server.kv, {
      email: "other@example.test",
      name: "Other",
      accountName: "Other shop",
    });
    const theirs = await createPasskey(server.kv, {
      person_id: other.id,
      name: "Their phone",
      credential_id: "Y3JlZGVudGlhbA",
      public_key: new Uint8Array([1, 2, 3]),
      counter: 0,
      transports: ["internal"],
      device_type: "multiDevice",
      backed_up: true,
    });
    const { cookie } = await signIn(server);
    const listed = await (await call(server, "GET", "/passkeys", { cookie })).json();
    assert.deepEqual(listed.items, []);
    const path = `/passkeys/${theirs.id}`;
    assert.deepEqual(
      await codeOf(await call(server, "DELETE", path, { cookie })),
      [404, "passkey_not_found"],
    );
    const rename = await call(server, "PATCH", path, {
      cookie,
      body: JSON.stringify({ name: "Mine now" }),
    });
    assert.deepEqual(await codeOf(rename), [404, "passkey_not_found"]);
    const kept = await listPasskeys(server.kv, other.id);
    assert.equal(kept[0].name, "Their phone");
  } finally {
    await server.close();
  }
});

/** An attestation-shaped body answering `challenge` (its signature is never reached). */
function answering(challenge: string) {
  return JSON.stringify({
    name: "Phone",
    response: {
      id: "AAAA",
      rawId: "AAAA",
      type: "public-key",
      response: {
        clientDataJSON: base64url(JSON.stringify({ type: "webauthn.create", challenge })),
        attestationObject: "AAAA",
      },
    },
  });
}

Deno.test("a registration challenge is the asker's own, and lives 5 minutes", async () => {
  const server = await startServer();
  try {
    const mine = await signIn(server);
    const { person: other } = await createPersonWithAccount(server.kv, {
      email: "someone@example.test",
      name: "Someone",
      accountName: "Their shop",
    });
    const theirs = await signIn(server, other.id, null);
    const ask = async () =>
      (await (await call(server, "POST", "/passkeys/register/options", { cookie: mine.cookie }))
        .json()).challenge as string;

    // Used by another person's session: refused, and used up.
    const stolen = await ask();
    const byOther = await call(server, "POST", "/passkeys/register", {
      cookie: theirs.cookie,
      body: answering(stolen),
    });
    assert.deepEqual(await codeOf(byOther), [401, "passkey_challenge_invalid"]);

    // Past 5 minutes: refused before the attestation is looked at.
    const late = await ask();
    const now = Date.now() + 5 * 60_000 + 1000;
    server.config.now = () => now;
    const tooLate = await call(server, "POST", "/passkeys/register", {
      cookie: mine.cookie,
      body: answering(late),
    });
    assert.deepEqual(await codeOf(tooLate), [401, "passkey_challenge_invalid"]);
    server.config.now = Date.now;

    // In time and by its asker, the challenge passes; the made-up attestation then does not.
    const fresh = await ask();
    const bogus = await call(server, "POST", "/passkeys/register", {
      cookie: mine.cookie,
      body: answering(fresh),
    });
    assert.deepEqual(await codeOf(bogus), [422, "passkey_invalid"]);
    assert.deepEqual(await listPasskeys(server.kv, server.ownerId), []);
  } finally {
    await server.close();
  }
});
