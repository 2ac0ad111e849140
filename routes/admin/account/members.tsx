/**
 * `/account/members`: who is in the account and with which role, and the invitations waiting.
 * The island reads and changes them through `/api/v1/account/members` and
 * `/api/v1/account/invitations`; only owners get the controls (the API refuses others anyway).
 */
import Members from "../../../islands/Members.tsx";
import { Island } from "../../../components/island.tsx";
import { AccountNav } from "../../../components/account_nav.tsx";
import { definePage } from "../context.ts";

export default definePage({
  GET(ctx) {
    const canManage = ctx.can("owner");
    return {
      title: "Members",
      body: (
        <>
          <AccountNav current="/account/members" />
          <section class="card">
            <p class="hint">
              {canManage
                ? "Owners manage everything; developers deploy, test and go live; analysts only look."
                : `Your role (${ctx.user.principal.role}) can see the members; an owner changes them.`}
            </p>
            <Island
              component={Members}
              props={{ canManage, me: ctx.user.principal.personId ?? "" }}
            />
          </section>
        </>
      ),
    };
  },
});
