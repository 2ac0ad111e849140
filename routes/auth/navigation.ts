/**
 * A failed sign-in seen by a person, not a script: an OAuth callback, a sign-in link or an
 * invitation link that fails during a browser navigation is sent to the admin's sign-in page as
 * `/signin?error=<code>` instead of a page of raw JSON (the page shows the code's sentence from
 * sign_in_errors.ts and offers the ways in again). A `fetch` from a script keeps the error JSON.
 */
import type { Context, MiddlewareHandler } from "hono";
import { DomainError } from "../../lib/errors.ts";
import type { SessionEnv } from "./cookie.ts";
import { signInErrorCode } from "./sign_in_errors.ts";

/** Whether the request is a browser loading a page (a link, a redirect, a form), not a fetch. */
export function isNavigation<E extends SessionEnv>(c: Context<E>): boolean {
  const mode = c.req.header("sec-fetch-mode");
  if (mode !== undefined) return mode === "navigate";
  // Browsers without Fetch Metadata still say they want a page.
  return (c.req.header("accept") ?? "").includes("text/html");
}

/** The code a failed answer carries (the domain error's, else the error JSON's), if any. */
async function failureCode<E extends SessionEnv>(c: Context<E>): Promise<string> {
  if (c.error instanceof DomainError) return c.error.code;
  try {
    const body = await c.res.clone().json();
    if (typeof body?.error?.code === "string") return body.error.code;
  } catch {
    // Not the error JSON (a bare status): the page says only that it failed.
  }
  return "sign_in_failed";
}

/**
 * Middleware: a navigation answered with a failure (4xx or 5xx) becomes a 303 to
 * `/signin?error=<code>`. Registered outside the rate limits, so the failure is counted first
 * and a limited browser is sent to the page too (`error=too_many_sign_in_attempts`).
 */
export const failuresToSignInPage: MiddlewareHandler<SessionEnv> = async (c, next) => {
  await next();
  if (c.res.status < 400 || !isNavigation(c)) return;
  // A code the sign-in page has a message for (sign_in_errors.ts); any other is the generic one.
  const code = signInErrorCode(await failureCode(c));
  await c.res.body?.cancel();
  c.res = c.redirect(`/signin?error=${encodeURIComponent(code)}`, 303);
};
