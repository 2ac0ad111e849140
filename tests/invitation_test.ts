/**
 * Invitations, for test links and to join an account, go out through a real SMTP server on
 * loopback (the npm `smtp-server` package), started inside the test.
 */
import assert from "node:assert/strict";
import { install } from "./helpers/fixtures.ts";
import { startServer } from "./helpers/server.ts";
import { startSmtp } from "./helpers/smtp.ts";
import { type Browser, browserWith, confirmLink, cookieOf, signIn } from "./helpers/session.ts";
import { createPersonWithAccount } from "../kv/people.ts";

Deno.test("a link with an email sends an invitation holding the link", async () => {
  const smtp = await startSmtp();
  const server = await startServer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
  try {
    await (await server.api("POST", "/apps", { slug: "invites", name: "Mail Shop" })).body
      ?.cancel();
    await install(server, "invites", { "index.html": "x" });
    const res = await server.api("POST", "/apps/invites/versions/1/links", {
      label: "Agency review",
      email: "reviewer@example.com",
    });
    assert.equal(res.status, 201);
    const link = await res.json();
    assert.equal(link.invitation_sent, true);
    assert.equal(smtp.received.length, 1);
    const mail = smtp.received[0];
    assert.deepEqual(mail.to, ["reviewer@example.com"]);
    assert.match(mail.data, /Subject: .*preview Mail Shop \(version 1\)/);
    const unfolded = mail.data.replace(/=\r?\n/g, "");
    assert.ok(
      unfolded.includes(new URL(link.url).searchParams.get("token")!),
      "the mail holds the link",
    );

    const listed = await (await server.api("GET", "/apps/invites/links")).json();
    assert.equal(listed.items[0].email, "reviewer@example.com");
  } finally {
    await server.close();
    await smtp.close();
  }
});

Deno.test("without SMTP the link is simply returned", async () => {
  const server = await startServer();
  try {
    await install(server, "nomail", { "index.html": "x" });
    const res = await server.api("POST", "/apps/nomail/versions/1/links", {
      label: "x",
      email: "reviewer@example.com",
    });
    assert.equal(res.status, 201);
    const link = await res.json();
    assert.equal(link.invitation_sent, false);
    assert.match(link.url, /token=syt_/);
  } finally {
    await server.close();
  }
});

Deno.test("an invitation to join an account is mailed, holding the link, and the answer does not show it", async () => {
  const smtp = await startSmtp();
  const server = await startServer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
  try {
    const owner = await signIn(server);
    const res = await owner.api("POST", "/account/invitations", {
      email: "dev@example.com",
      role: "analyst",
    });
    assert.equal(res.status, 201);
    const created = await res.json();
    assert.equal(created.invitation_sent, true);
    assert.equal(created.url, null);
    assert.equal(smtp.received.length, 1);
    assert.deepEqual(smtp.received[0].to, ["dev@example.com"]);
    const mail = smtp.received[0].data.replace(/=\r?\n/g, "");
    const url = /http:\/\/127\.0\.0\.1:\d+\/auth\/invitations\/[0-9A-Za-z]{43}/.exec(mail)?.[0];
    assert.ok(url, mail);
    assert.match(mail, /Default account/);
    const accepted = await confirmLink(url);
    assert.equal(accepted.status, 303);
    const me = await (await browserWith(server, cookieOf(accepted)!).api("GET", "/me")).json();
    assert.equal(me.role, "analyst");
  } finally {
    await server.close();
    await smtp.close();
  }
});

Deno.test("invitation mails are limited per invited address and per account, with 429 and Retry-After", async () => {
  const smtp = await startSmtp();
  const now = Date.parse("2026-11-28T09:00:00Z");
  const server = await startServer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, now: () => now });
  const invite = (browser: Browser, email: string) =>
    browser.api("POST", "/account/invitations", { email, role: "owner" });
  const limited = async (res: Response, message: RegExp, seconds: number) => {
    const body = await res.json();
    assert.equal(res.status, 429, JSON.stringify(body));
    assert.equal(res.headers.get("retry-after"), String(seconds));
    assert.equal(body.error.code, "too_many_invitations_sent");
    assert.match(body.error.message, message);
  };
  try {
    const owner = await signIn(server);
    for (let i = 0; i < 3; i++) {
      const res = await invite(owner, "Victim@example.com");
      assert.equal(res.status, 201);
      await res.body?.cancel();
    }
    await limited(await invite(owner, "victim@example.com"), /to this email address/, 86_400);
    // The refused resend left the last invitation pending, and mailed nothing.
    assert.equal(smtp.received.length, 3);
    const pending = await (await owner.api("GET", "/account/invitations")).json();
    assert.equal(pending.items.length, 1);

    // Another account cannot take the victim's inbox up either.
    const other = await createPersonWithAccount(server.kv, {
      email: "other@example.com",
      name: "Other",
      accountName: "Other's",
    });
    const stranger = await signIn(server, other.person.id, other.account.id);
    await limited(await invite(stranger, "victim@example.com"), /to this email address/, 86_400);

    // The account's own budget: 30 an hour, the refused resend counted among them.
    for (let i = 0; i < 26; i++) {
      const res = await invite(owner, `person${i}@example.com`);
      assert.equal(res.status, 201, `invitation ${i}`);
      await res.body?.cancel();
    }
    await limited(await invite(owner, "one-more@example.com"), /from this account/, 3600);
    assert.equal(smtp.received.length, 29);
  } finally {
    await server.close();
    await smtp.close();
  }
});
