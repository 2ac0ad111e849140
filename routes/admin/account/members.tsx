/**
 * `/account/members`: who is in the account and with which role, and the invitations waiting.
 * Rendered with the lists the API's `GET /account/members` and `GET /account/invitations` read
 * (the same `kv/` functions, the same shapes), so the page arrives complete; the island changes
 * them through `/api/v1/account/*` and reads them again. Only owners get the controls (the API
 * refuses others anyway).
 */
import { listInvitations } from "../../../kv/invitations.ts";
import { listMembersWithPeople } from "../../../kv/members.ts";
import Members from "../../../islands/Members.tsx";
import { Island } from "../../../components/island.tsx";
import { AccountNav } from "../../../components/account_nav.tsx";
import { memberJson } from "../../api/account.ts";
import { definePage } from "../context.ts";

export default definePage({
  async GET(ctx) {
    const canManage = ctx.can("owner");
    const accountId = ctx.user.principal.accountId;
    const members = await listMembersWithPeople(ctx.kv, accountId, { limit: 100 });
    const invitations = canManage
      ? (await listInvitations(ctx.kv, accountId, { limit: 100 }, ctx.now)).items
      : [];
    const initial = {
      members: members.items.map((view) => memberJson(view.member, view.person)),
      invitations: invitations.map(({ id, email, role, created_at, expires_at }) => ({
        id,
        email,
        role,
        created_at,
        expires_at,
      })),
    };
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
              props={{
                canManage,
                me: ctx.user.principal.personId ?? "",
                clock: { now: ctx.now, locale: ctx.locale },
                initial,
              }}
            />
          </section>
        </>
      ),
    };
  },
});
