/**
 * `/auth/*` on the platform host: the ways into the admin and out of it. The sign-in page
 * itself belongs to the admin; these are the endpoints it and the start-up link lead to.
 */
import { type Context, Hono } from "hono";
import type { Config } from "../../config.ts";
import { consumeSignInLink } from "../../kv/signin_links.ts";
import { getPerson, listMemberships } from "../../kv/people.ts";
import { endAllSessions, endSession } from "../../kv/sessions.ts";
import { TooLargeError, UnauthenticatedError } from "../../lib/errors.ts";
import { clearSessionCookie } from "./cookie.ts";
import { assertSameOrigin, currentSession } from "./session.ts";
import { safeNext, startSession } from "./sign_in.ts";
import { oauthRoutes } from "./oauth_routes.ts";
import type { AuthEnv } from "./env.ts";
import { passkeyRoutes } from "./passkeys.ts";
import { passkeySignInRoutes } from "./passkey_sign_in.ts";
import { emailLinkRoutes } from "./email_link.ts";
import { createLogger, type Logger } from "../../lib/log.ts";
import { acceptInvitationLink } from "./invitations.ts";
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

  // A one-time link (printed at start, or emailed): signs its person in, once. An address that
  // keeps trying links that do not work is refused for a while (routes/auth/limits.ts).
  auth.use("/link/*", limitSignInAttempts);
  auth.get("/link/:secret", async (c) => {
    const link = await consumeSignInLink(kv, c.req.param("secret"), config.now());
    const person = link ? await getPerson(kv, link.person_id) : null;
    if (!link || !person) {
      throw new UnauthenticatedError(
        "This sign-in link is unknown, used or expired; ask for a new one",
        "sign_in_link_invalid",
      );
    }
    const memberships = await listMemberships(kv, person.id);
    const accountId = memberships.find((m) => m.account_id === link.account_id)?.account_id ??
      memberships[0]?.account_id;
    if (!accountId) throw new UnauthenticatedError("This person belongs to no account");
    await startSession(c, {
      personId: person.id,
      accountId,
      name: person.name,
      method: link.purpose === "email" ? "email" : "link",
    });
    return c.redirect(safeNext(c.req.query("next")), 303);
  });

  // An invitation to join an account (routes/api/invitations.ts makes them).
  auth.get("/invitations/:secret", (c) => acceptInvitationLink(c, c.req.param("secret")));

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
