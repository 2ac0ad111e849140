/**
 * `/`: the dashboard. Each app with its live version, what is scheduled and today's visitors,
 * and a form to create an app; a fresh account sees how to deploy its first app instead.
 */
import { createApp, listApps } from "../../kv/apps.ts";
import { appOverviews } from "../../kv/overview.ts";
import { activeTarget } from "../../kv/live_record.ts";
import { ConflictError, ValidationError } from "../../lib/errors.ts";
import { appUrl, platformUrl } from "../../lib/urls.ts";
import { AppCreate } from "../api/schemas.ts";
import { AppGrid, CreateAppForm, FirstDeploy } from "../../components/dashboard.tsx";
import { adminAuditBy } from "./audit_by.ts";
import { type AuthedContext, definePage, type PageView } from "./context.ts";

const APPS_PER_PAGE = 100;

async function view(
  ctx: AuthedContext,
  form?: { slug: string; name: string; problems: string[] },
): Promise<PageView> {
  const { kv, user, now } = ctx;
  const cursor = ctx.url.searchParams.get("cursor");
  const page = await listApps(kv, user.account.id, { limit: APPS_PER_PAGE, cursor });
  const day = new Date(now).toISOString().slice(0, 10);
  const cards = (await appOverviews(kv, page.items, day, now)).map((overview) => ({
    overview,
    url: appUrl(ctx.config, overview.app.slug),
    target: activeTarget(overview.live, now),
    pending: (overview.live?.schedule ?? []).filter((change) => Date.parse(change.at) > now),
  }));
  const canCreate = ctx.can("manage");
  const create = canCreate ? <CreateAppForm csrf={user.csrf} values={form} /> : null;
  return {
    title: "Apps",
    heading: user.account.name,
    status: form?.problems.length ? 422 : 200,
    body: page.items.length === 0 && !cursor
      ? (
        <>
          <FirstDeploy platform={platformUrl(ctx.config)} canCreate={canCreate} />
          {create}
        </>
      )
      : (
        <>
          <AppGrid
            cards={cards}
            now={now}
            locale={ctx.locale}
            nextCursor={page.next_cursor}
          />
          {create}
        </>
      ),
  };
}

export default definePage({
  GET: (ctx) => view(ctx),
  postNeeds: { permission: "manage", refusal: () => "Your role cannot create apps" },
  async POST(ctx, form) {
    const input = { slug: String(form.get("slug") ?? ""), name: String(form.get("name") ?? "") };
    const parsed = AppCreate.safeParse(input);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      return await view(ctx, { ...input, problems });
    }
    try {
      const app = await createApp(
        ctx.kv,
        ctx.user.account.id,
        parsed.data,
        ctx.config.platformHost,
        adminAuditBy(ctx),
      );
      return ctx.c.redirect(`/apps/${app.slug}`, 303);
    } catch (error) {
      if (error instanceof ConflictError || error instanceof ValidationError) {
        return await view(ctx, { ...input, problems: [error.message] });
      }
      throw error;
    }
  },
});
