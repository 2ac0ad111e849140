/**
 * The admin's one mapper from errors to answers (STYLE "Errors"): a domain error becomes an HTML
 * page with the API's status for its kind and its message in words; a page that needs a session
 * and has none sends the browser to sign in, coming back afterwards. Anything else is logged and
 * answered the platform's 500.
 */
import type { Context } from "hono";
import type { BuildOutput } from "../../lib/build_output.ts";
import { DomainError, RateLimitedError, UnauthenticatedError } from "../../lib/errors.ts";
import { internalError, type Logger } from "../../lib/log.ts";
import { toErrorStatus } from "../errors.ts";
import type { AdminEnv } from "./context.ts";
import { htmlResponse, newNonce, renderDocument, shellUser } from "./render.tsx";
import { signedInOf } from "./signed_in.ts";

/** Where a browser without a session goes: the sign-in page, then back to `path`. */
export function signInRedirect(path: string): Response {
  const next = path === "/" ? "" : `?next=${encodeURIComponent(path)}`;
  return new Response(null, {
    status: 303,
    headers: { location: `/signin${next}`, "cache-control": "no-store" },
  });
}

const TITLES: Partial<Record<DomainError["kind"], string>> = {
  not_found: "Not found",
  forbidden: "Not allowed",
  conflict: "Changed meanwhile",
  unavailable: "Unavailable",
  too_large: "Too large",
};

export function adminErrorHandler(log: Logger, build: BuildOutput | null) {
  return async (error: Error, c: Context<AdminEnv>): Promise<Response> => {
    if (!(error instanceof DomainError)) {
      return internalError(log, c.req.raw, error, c.get("requestId"));
    }
    if (error instanceof UnauthenticatedError && c.req.method === "GET") {
      return signInRedirect(c.req.path + new URL(c.req.url).search);
    }
    const nonce = c.get("nonce") ?? newNonce();
    // The top bar as on any page (account, sign-out), when the session is fine.
    const user = error instanceof UnauthenticatedError
      ? null
      : await signedInOf(c).catch(() => null);
    const html = renderDocument({
      title: TITLES[error.kind] ?? "Something is wrong",
      body: (
        <section class="card error-page">
          <p class="lead">{error.message}</p>
          <p>
            <a class="button" href="/">Back to your apps</a>
          </p>
        </section>
      ),
    }, { build, nonce, user: user ? shellUser(user) : null });
    const response = htmlResponse(html, toErrorStatus(error.kind), nonce);
    // A 429 says when to come back, as the API's does (routes/errors.ts).
    if (error instanceof RateLimitedError) {
      response.headers.set("retry-after", String(error.retryAfter));
    }
    return response;
  };
}
