/**
 * No bearer secret reaches the log: each URL that carries one (a sign-in link, an invitation, a
 * test link, an OAuth callback) is opened against the real server, and the captured log lines
 * are searched for the secret.
 */
import assert from "node:assert/strict";
import { createLogger } from "../lib/log.ts";
import { startServer } from "./helpers/server.ts";
import { install } from "./helpers/fixtures.ts";
import { confirmLink, ownerLink, signIn } from "./helpers/session.ts";

Deno.test("no sign-in, invitation, test-link or OAuth secret is written to the log", async () => {
  const lines: string[] = [];
  const log = createLogger({ level: "info", write: (line) => lines.push(line) });
  const server = await startServer({ edgeRequestLog: true }, { log });
  const base = `http://127.0.0.1:${server.port}`;
  const secrets: string[] = [];
  const open = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, { redirect: "manual", ...init });
    await response.body?.cancel();
    return response.status;
  };
  try {
    // The start-up link signs in on its GET; the emailed one shows a confirm page, then POSTs.
    const owner = await signIn(server);
    const start = await ownerLink(server);
    const emailed = await ownerLink(server, "email");
    secrets.push(start, emailed);
    assert.equal(await open(`${base}/auth/link/${start}`), 303);
    assert.equal((await confirmLink(`${base}/auth/link/${emailed}`)).status, 303);

    // An invitation's page, its acceptance, and the router's decoded spelling of its path.
    const invited = await owner.api("POST", "/account/invitations", {
      email: "new@example.com",
      role: "owner",
    });
    const { url } = await invited.json();
    const invitation = new URL(url).pathname.split("/").pop()!;
    secrets.push(invitation);
    assert.equal(await open(`${base}/auth/%69nvitations/${invitation}`), 200);
    assert.equal(await open(url), 200);
    await (await confirmLink(url)).body?.cancel();

    // Unknown secrets are secrets too (a typo of a real one is most of it).
    const unknown = "Q".repeat(43);
    secrets.push(unknown);
    await open(`${base}/auth/link/${unknown}`);
    await open(`${base}/auth/link/${unknown}`, { method: "POST" });

    // A test link's token and an OAuth callback's code and state travel in the query.
    await install(server, "logged", { "index.html": "x" });
    const link = await (await server.api("POST", "/apps/logged/versions/1/links", {
      label: "review",
    })).json();
    const token = new URL(link.url).searchParams.get("token")!;
    secrets.push(token);
    const preview = await server.edge("logged", `/_switchyard/preview?token=${token}`);
    assert.equal(preview.status, 303);
    secrets.push("oauthcode0123456789", "oauthstate0123456789");
    await open(`${base}/auth/github/callback?code=oauthcode0123456789&state=oauthstate0123456789`);

    const text = lines.join("\n");
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `the log holds a secret: ${secret}`);
    }
    assert.ok(text.includes("/auth/link/[redacted]"), "the sign-in requests were logged");
    assert.ok(text.includes("/auth/invitations/[redacted]"), "the invitation was logged");
    assert.ok(text.includes("/_switchyard/preview"), "the preview was logged");
  } finally {
    await server.close();
  }
});
