/**
 * `/auth/*` on the platform host: the ways into the admin and out of it. The sign-in page
 * itself belongs to the admin; these are the endpoints it and the start-up link lead to.
 */
import { type Context, Hono } from "hono";
import type { Config } from "../../config.ts";
import { endAllSessions, endSession } from "../../kv/sessions.ts";
import { TooLargeError, UnauthenticatedError } from "../../lib/errors.ts";
import { clearSessionCookie } from "./cookie.ts";
import { assertSameOrigin, currentSession } from "./session.ts";
import { openSignInLink, useSignInLink } from "./sign_in_link.ts";
import { failuresToSignInPage } from "./navigation.ts";
import { oauthRoutes } from "./oauth_routes.ts";
import type { AuthEnv } from "./env.ts";
import { passkeyRoutes } from "./passkeys.ts";
import { passkeySignInRoutes } from "./passkey_sign_in.ts";
import { emailLinkRoutes } from "./email_link.ts";
import { createLogger, type Logger } from "../../lib/log.ts";
import { acceptInvitationLink, invitationPage } from "./invitations.ts";
import { switchSession } from "./switch.ts";
import { bodyLimit } from "hono/body-limit";
import { limitSignInAttempts } from "./limits.ts";

export type { AuthEnv };

export function authRoutes(
  kv: Deno.Kv,
  config: Config,
  log: Logger = createLogger(),
): Hono<AuthEnv> {
  const auth = new Hono<AuthEnv>();
  auth.use("*", async (c, next) => {
    c.set("kv", kv);
    c.set("config", config);
    c.header("cache-control", "no-store");
    await next();
  });

  // A one-time link (printed at start, or emailed) and an invitation link: an address that
  // keeps trying links that do not work is refused for a while (routes/auth/limits.ts), and a
  // browser whose link fails lands on the sign-in page, which says why (navigation.ts).
  for (const path of ["/link/*", "/invitations/*"]) {
    auth.use(path, failuresToSignInPage, limitSignInAttempts);
  }
  auth.get("/link/:secret", openSignInLink);
  auth.post("/link/:secret", useSignInLink);
  // An invitation to join an account (routes/api/invitations.ts makes them).
  auth.get("/invitations/:secret", invitationPage);
  auth.post("/invitations/:secret", (c) => {
    assertSameOrigin(c);
    return acceptInvitationLink(c, c.req.param("secret"));
  });

  // Moves this browser's session to another of the person's accounts; the body is one id.
  auth.post(
    "/switch",
    bodyLimit({
      maxSize: 4096,
      onError: () => {
        throw new TooLargeError("The body is larger than 4096 bytes");
      },
    }),
    switchSession,
  );

  auth.post("/signout", async (c) => {
    assertSameOrigin(c);
    const open = await currentSession(c);
    if (open) await endSession(kv, open.hash, open.session.person_id);
    clearSessionCookie(c);
    return signedOut(c);
  });

  auth.post("/signout-everywhere", async (c) => {
    assertSameOrigin(c);
    const open = await currentSession(c);
    if (!open) throw new UnauthenticatedError("Not signed in");
    await endAllSessions(kv, open.session.person_id);
    clearSessionCookie(c);
    return signedOut(c);
  });

  auth.route("/", passkeyRoutes(kv, config));
  auth.route("/", passkeySignInRoutes(kv, config));
  auth.route("/", emailLinkRoutes(kv, config, log));
  auth.route("/", oauthRoutes(config));
  return auth;
}

/** A form post goes on to the sign-in page; a script's request gets a bare 204. */
function signedOut(c: Context<AuthEnv>): Response {
  const wantsPage = (c.req.header("accept") ?? "").includes("text/html");
  return wantsPage ? c.redirect("/signin", 303) : c.body(null, 204);
}
