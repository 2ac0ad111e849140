/**
 * `/signin`: the ways into the admin that this platform's configuration offers (OAuth buttons, a
 * passkey, an emailed link), rendered with the page; the start-up log's one-time link needs no page at all.
 * A person already signed in goes straight on.
 */
import SignIn from "../../islands/SignIn.tsx";
import { Island } from "../../components/island.tsx";
import { safeNext } from "../auth/sign_in.ts";
import { definePublicPage } from "./context.ts";
import { signInOffer } from "../auth/oauth_routes.ts";
import { SIGN_IN_ERRORS, signInErrorCode } from "../auth/sign_in_errors.ts";

export default definePublicPage({
  GET(ctx) {
    const next = safeNext(ctx.url.searchParams.get("next"));
    if (ctx.user) return ctx.c.redirect(next, 303);
    // A failed link, invitation or OAuth round trip lands here with its code (routes/auth).
    const failed = ctx.url.searchParams.get("error");
    return {
      title: "Sign in",
      heading: "",
      body: (
        <section class="card narrow signin">
          <h1>Sign in to Switchyard</h1>
          <p class="muted">
            Host your storefront apps, try each version through private links, and switch live
            traffic in one click.
          </p>
          {failed !== null && (
            <div class="error-box" role="alert" id="signin-error">
              {SIGN_IN_ERRORS[signInErrorCode(failed)]}
            </div>
          )}
          <Island component={SignIn} props={{ next, offer: signInOffer(ctx.config) }} />
          <p class="muted small">
            First start? The server printed a one-time sign-in link in its log (<code>
              /auth/link/…
            </code>): open it in this browser.
          </p>
        </section>
      ),
    };
  },
});
