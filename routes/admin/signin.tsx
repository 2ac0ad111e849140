/**
 * `/signin`: the ways into the admin. The island asks `/auth/providers` which exist here (OAuth
 * buttons, a passkey, an emailed link); the start-up log's one-time link needs no page at all.
 * A person already signed in goes straight on.
 */
import SignIn from "../../islands/SignIn.tsx";
import { Island } from "../../components/island.tsx";
import { safeNext } from "../auth/sign_in.ts";
import { definePublicPage } from "./context.ts";

export default definePublicPage({
  GET(ctx) {
    const next = safeNext(ctx.url.searchParams.get("next"));
    if (ctx.user) return ctx.c.redirect(next, 303);
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
          <Island component={SignIn} props={{ next }} />
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
