/**
 * `/account/audit`: who changed what and when. The island pages through `GET /api/v1/audit`
 * with the filters chosen here (an app, a member or a token), which the URL keeps.
 */
import { listApps } from "../../../kv/apps.ts";
import { listTokens } from "../../../kv/accounts.ts";
import { getPerson, listMembers } from "../../../kv/people.ts";
import AuditLog from "../../../islands/AuditLog.tsx";
import { Island } from "../../../components/island.tsx";
import { AccountNav } from "../../../components/account_nav.tsx";
import { definePage } from "../context.ts";

export default definePage({
  async GET(ctx) {
    const accountId = ctx.user.principal.accountId;
    const [apps, members] = await Promise.all([
      listApps(ctx.kv, accountId, { limit: 100 }),
      listMembers(ctx.kv, accountId, { limit: 100 }),
    ]);
    const people = await Promise.all(members.items.map((m) => getPerson(ctx.kv, m.person_id)));
    const actors = people.flatMap((person) => person ? [{ id: person.id, name: person.name }] : []);
    // Tokens are an owner's to see (the API's /tokens needs `owner`): others filter by people.
    if (ctx.can("owner")) {
      const tokens = await listTokens(ctx.kv, accountId, { limit: 100 });
      actors.push(...tokens.items.map((t) => ({ id: t.id, name: `${t.name} (token)` })));
    }
    return {
      title: "Audit log",
      body: (
        <>
          <AccountNav current="/account/audit" />
          <section class="card">
            <Island
              component={AuditLog}
              props={{
                apps: apps.items.map((app) => ({ slug: app.slug, name: app.name })),
                actors,
                app: ctx.url.searchParams.get("app") ?? "",
                actor: ctx.url.searchParams.get("actor") ?? "",
                clock: { now: ctx.now, locale: ctx.locale },
              }}
            />
          </section>
        </>
      ),
    };
  },
});
