/**
 * "Email me a sign-in link" (`POST /auth/email-link {email}`): with SMTP configured, a member
 * who gives their address gets a one-time link (kv/signin_links.ts, 15 minutes, purpose
 * `email`) that `/auth/link/{secret}` turns into a session. The answer is the same 202 whether
 * or not the address belongs to anyone, and it does not wait for the mail, so neither its body
 * nor its timing tells a stranger who has an account here.
 */
import { Hono } from "hono";
import { z } from "zod";
import { type Config, isSmtpConfigured } from "../../config.ts";
import { findPersonByEmail, listMemberships } from "../../kv/people.ts";
import { createSignInLink, SIGN_IN_LINK_MS } from "../../kv/signin_links.ts";
import { ConflictError } from "../../lib/errors.ts";
import { errorFields, type Logger } from "../../lib/log.ts";
import { escapeHtml, sendMail } from "../../lib/mail.ts";
import { platformUrl } from "../../lib/urls.ts";
import { limitAuthBody, readBody } from "./body.ts";
import type { AuthEnv } from "./env.ts";
import { assertSameOrigin } from "./session.ts";
import { limitSignInLinkRequest } from "./limits.ts";
import { safeNext } from "./sign_in.ts";

const EmailLinkBody = z.object({
  // RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254.
  email: z.string().trim().max(254).regex(/^[^\s@]+@[^\s@]+$/, "must be an email address"),
  next: z.string().max(2048).optional(),
});

export function emailLinkRoutes(kv: Deno.Kv, config: Config, log: Logger): Hono<AuthEnv> {
  const routes = new Hono<AuthEnv>();
  routes.post("/email-link", limitAuthBody, async (c) => {
    assertSameOrigin(c);
    if (!isSmtpConfigured(config)) {
      throw new ConflictError(
        "Sign-in links by email are not configured on this Switchyard: " +
          'its operator sets "SWITCHYARD_SMTP_URL" to enable them',
        "email_link_not_configured",
      );
    }
    const { email, next } = await readBody(c, EmailLinkBody);
    // Before the email is looked up, and for every address alike: a 429 tells nothing of who
    // has an account, and a stranger's address uses the budget a member's does.
    await limitSignInLinkRequest(c, email);
    // Not awaited: the answer must not take longer for a member's address than a stranger's.
    mailLink(kv, config, email, safeNext(next)).catch((error) =>
      log.warn("Sign-in link not sent", errorFields(error))
    );
    return c.json({
      message: "If this address belongs to a member, a sign-in link is on its way",
    }, 202);
  });
  return routes;
}

async function mailLink(kv: Deno.Kv, config: Config, email: string, next: string) {
  const person = await findPersonByEmail(kv, email);
  if (!person?.email) return;
  const memberships = await listMemberships(kv, person.id);
  if (memberships.length === 0) return;
  const secret = await createSignInLink(kv, {
    personId: person.id,
    accountId: null,
    purpose: "email",
  }, config.now());
  const url = `${platformUrl(config)}/auth/link/${secret}` +
    (next === "/" ? "" : `?next=${encodeURIComponent(next)}`);
  const minutes = SIGN_IN_LINK_MS / 60_000;
  await sendMail({ smtpUrl: config.smtpUrl!, mailFrom: config.mailFrom }, {
    to: person.email,
    subject: "Your Switchyard sign-in link",
    text: `Open this link to sign in to Switchyard:\n\n${url}\n\n` +
      `It works once, for ${minutes} minutes. If you did not ask for it, ignore this mail.`,
    html: `<p><a href="${escapeHtml(url)}">Sign in to Switchyard</a></p>` +
      `<p>The link works once, for ${minutes} minutes. ` +
      "If you did not ask for it, ignore this mail.</p>",
  });
}
