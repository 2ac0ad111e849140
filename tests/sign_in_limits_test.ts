/**
 * Every way in counts its failures against the address it came from, so guessing at links,
 * invitations, OAuth callbacks or passkeys is held up alike: each trips at the limit with 429,
 * `Retry-After` and the usual error JSON. "Email me a link" is limited per address and per
 * email, and a stranger's address answers the member's 202 until the limit, then the same 429.
 */
import assert from "node:assert/strict";
import { LIMITS } from "../kv/rate_limits.ts";
import { base64url } from "../lib/crypto.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

/** A clock the test moves; the server reads it through `config.now`. */
function clock() {
  let now = Date.parse("2026-11-28T09:00:00Z");
  return { now: () => now, advance: (ms: number) => now += ms };
}

/** Asserts a 429 with the limit's code and a `Retry-After` of `seconds`. */
async function assertLimited(res: Response, code: string, seconds: number) {
  const body = await res.json();
  assert.equal(res.status, 429, JSON.stringify(body));
  assert.equal(res.headers.get("retry-after"), String(seconds));
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.equal(body.error.code, code);
  assert.match(body.error.message, new RegExp(`try again in ${seconds} s`));
}

/** A same-origin request from the platform's own page (what a script on it sends). */
function send(server: TestServer, method: string, path: string, body?: unknown) {
  return fetch(`http://127.0.0.1:${server.port}${path}`, {
    method,
    redirect: "manual",
    headers: { "sec-fetch-site": "same-origin", "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Sends `max` failing requests, each answered with `status`, then expects the limit. */
async function tripSignInLimit(
  attempt: (i: number) => Promise<Response>,
  status: number[],
  next: () => Promise<Response>,
) {
  const { max, windowMs, code } = LIMITS.signInFailures;
  for (let i = 0; i < max; i++) {
    const res = await attempt(i);
    assert.ok(status.includes(res.status), `attempt ${i + 1}: ${res.status} ${await res.text()}`);
  }
  await assertLimited(await next(), code, windowMs / 1000);
}

Deno.test("failed OAuth sign-ins and callbacks count per address", async () => {
  const time = clock();
  const server = await startServer({ now: time.now });
  // Configured but never reached: every callback here fails on its state, before any request.
  server.config.github = {
    clientId: "client",
    clientSecret: "secret",
    webUrl: "http://127.0.0.1:9",
    apiUrl: "http://127.0.0.1:9",
  };
  try {
    await tripSignInLimit(
      (i) =>
        i % 2
          ? send(server, "GET", `/auth/github/callback?code=c&state=${"s".repeat(43)}`)
          : send(server, "GET", "/auth/gitlab/signin"),
      [400, 404],
      () => send(server, "GET", "/auth/github/signin"),
    );
    time.advance(LIMITS.signInFailures.windowMs);
    const again = await send(server, "GET", "/auth/github/signin");
    assert.equal(again.status, 302, "the window ended: off to the provider");
    await again.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("refused passkey sign-ins count per address, and hold up the options too", async () => {
  const server = await startServer();
  const made = (i: number) => ({
    response: {
      id: `cred${i}`,
      rawId: `cred${i}`,
      type: "public-key",
      response: {
        // Well-formed, but naming a challenge the server never gave out.
        clientDataJSON: base64url(
          new TextEncoder().encode(JSON.stringify({
            type: "webauthn.get",
            challenge: `made-up-${i}`,
            origin: `http://127.0.0.1:${server.port}`,
          })),
        ),
        authenticatorData: "AA",
        signature: "AA",
      },
      clientExtensionResults: {},
    },
  });
  try {
    const options = await send(server, "POST", "/auth/passkey/options");
    assert.equal(options.status, 200, "options are no failure");
    await options.body?.cancel();
    await tripSignInLimit(
      (i) => send(server, "POST", "/auth/passkey", made(i)),
      [401],
      () => send(server, "POST", "/auth/passkey/options"),
    );
  } finally {
    await server.close();
  }
});

Deno.test("invitation links that do not work count per address, opened or posted", async () => {
  const server = await startServer();
  try {
    await tripSignInLimit(
      (i) => send(server, i % 2 ? "POST" : "GET", `/auth/invitations/${"i".repeat(42)}${i % 10}`),
      [404],
      () => send(server, "GET", `/auth/invitations/${"j".repeat(43)}`),
    );
  } finally {
    await server.close();
  }
});

Deno.test("emailed-link requests are limited per email and per address, strangers alike", async () => {
  const time = clock();
  // Configured, never reached: nobody asking here has an account, so no mail is ever sent.
  const server = await startServer({ smtpUrl: "smtp://127.0.0.1:9", now: time.now });
  const ask = (email: string) => send(server, "POST", "/auth/email-link", { email });
  try {
    const perEmail = LIMITS.signInLinkPerEmail;
    const answers = new Set<string>();
    for (let i = 0; i < perEmail.max; i++) {
      const res = await ask(i % 2 ? "Nobody@Example.test" : "nobody@example.test");
      assert.equal(res.status, 202);
      answers.add(await res.text());
    }
    assert.equal(answers.size, 1, "one answer, whoever asks");
    await assertLimited(await ask("NOBODY@example.test"), perEmail.code, perEmail.windowMs / 1000);
    const perAddress = LIMITS.signInLinkPerAddress;
    for (let i = perEmail.max + 1; i < perAddress.max; i++) {
      const res = await ask(`person${i}@example.test`);
      assert.equal(res.status, 202, `request ${i + 1}`);
      await res.body?.cancel();
    }
    await assertLimited(
      await ask("someone.new@example.test"),
      perAddress.code,
      perAddress.windowMs / 1000,
    );
  } finally {
    await server.close();
  }
});

Deno.test("50 parallel bad sign-in links get at most the limit's attempts through", async () => {
  const server = await startServer();
  try {
    const answers = await Promise.all(
      Array.from(
        { length: 50 },
        (_, i) => send(server, "POST", `/auth/link/${"p".repeat(41)}${i}`),
      ),
    );
    const statuses = await Promise.all(answers.map(async (res) => {
      await res.body?.cancel();
      return res.status;
    }));
    const tried = statuses.filter((status) => status !== 429);
    assert.ok(tried.length <= LIMITS.signInFailures.max, `${tried.length} tried: ${statuses}`);
    assert.ok(tried.length > 0, "some attempts were tried");
    // Attempts refused in the crush were not counted: one at a time, the rest of the budget
    // goes through, and not one attempt more.
    let more = 0;
    for (;; more++) {
      const res = await send(server, "POST", `/auth/link/${"q".repeat(41)}${more}`);
      if (res.status === 429) {
        await assertLimited(res, LIMITS.signInFailures.code, LIMITS.signInFailures.windowMs / 1000);
        break;
      }
      await res.body?.cancel();
    }
    assert.equal(tried.length + more, LIMITS.signInFailures.max);
  } finally {
    await server.close();
  }
});
