/**
 * "Email me a sign-in link" through a real SMTP server on loopback: a member's address gets a
 * one-time link that signs them in once; an unknown address gets the same answer and no mail;
 * without SMTP the endpoint says it is not configured.
 */
import assert from "node:assert/strict";
import { createPerson, createPersonWithAccount } from "../kv/people.ts";
import { listSessions } from "../kv/sessions.ts";
import { startServer } from "./helpers/server.ts";
import { confirmLink, cookieOf } from "./helpers/session.ts";
import { startSmtp } from "./helpers/smtp_server.ts";

function ask(port: number, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`http://127.0.0.1:${port}/auth/email-link`, {
    method: "POST",
    headers: { "content-type": "application/json", "sec-fetch-site": "same-origin", ...headers },
    body: JSON.stringify(body),
  });
}

Deno.test("a member's address gets a one-time sign-in link; a stranger's the same answer", async () => {
  const smtp = await startSmtp();
  const server = await startServer({ smtpUrl: smtp.url });
  try {
    const { person } = await createPersonWithAccount(server.kv, {
      email: "judy@example.test",
      name: "Judy",
      accountName: "Judy's shop",
    });
    const known = await ask(server.port, { email: "  Judy@Example.TEST ", next: "/apps" });
    const stranger = await ask(server.port, { email: "nobody@example.test" });
    assert.equal(known.status, 202);
    assert.equal(stranger.status, 202);
    assert.deepEqual(await known.json(), await stranger.json(), "nothing tells them apart");

    await smtp.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(smtp.received.length, 1, "no mail for the stranger");
    const mail = smtp.received[0];
    assert.deepEqual(mail.to, ["judy@example.test"]);
    const url = /http:\/\/127\.0\.0\.1:\d+\/auth\/link\/[0-9A-Za-z]{43}\?next=%2Fapps/.exec(
      mail.data,
    )?.[0];
    assert.ok(url, mail.data);

    const opened = await confirmLink(url);
    await opened.body?.cancel();
    assert.equal(opened.status, 303);
    assert.equal(opened.headers.get("location"), "/apps");
    const cookie = cookieOf(opened)!;
    const me = await fetch(`http://127.0.0.1:${server.port}/api/v1/apps`, { headers: { cookie } });
    assert.equal(me.status, 200, "signed in");
    await me.body?.cancel();
    const sessions = await listSessions(server.kv, person.id);
    assert.deepEqual(sessions.map((open) => open.session.method), ["email"]);

    const again = await fetch(url, { redirect: "manual" });
    assert.equal(again.status, 401, "the link works once");
    await again.body?.cancel();
  } finally {
    await server.close();
    await smtp.close();
  }
});

Deno.test("a person in no account, or a malformed address, gets no mail", async () => {
  const smtp = await startSmtp();
  const server = await startServer({ smtpUrl: smtp.url });
  try {
    await createPerson(server.kv, { email: "former@example.test", name: "Former" });
    assert.equal((await ask(server.port, { email: "former@example.test" })).status, 202);
    const bad = await ask(server.port, { email: "not an address" });
    assert.equal(bad.status, 422);
    const body = await bad.json();
    assert.equal(body.error.details[0].field, "email");
    const crossSite = await ask(server.port, { email: "former@example.test" }, {
      "sec-fetch-site": "cross-site",
    });
    assert.equal(crossSite.status, 403);
    await crossSite.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(smtp.received.length, 0);
  } finally {
    await server.close();
    await smtp.close();
  }
});

Deno.test("without SMTP, asking for a link says it is not configured", async () => {
  const server = await startServer();
  try {
    const response = await ask(server.port, { email: "judy@example.test" });
    assert.equal(response.status, 409);
    const body = await response.json();
    assert.equal(body.error.code, "email_link_not_configured");
    assert.match(body.error.message, /SWITCHYARD_SMTP_URL/);
    const providers = await (await fetch(`http://127.0.0.1:${server.port}/auth/providers`)).json();
    assert.deepEqual(providers, { providers: [], passkey: true, email_link: false });
  } finally {
    await server.close();
  }
});
