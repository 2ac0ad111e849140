/**
 * `/apps/:slug`: one app — what is live, its versions, the split, the schedule and the release
 * history, read with the same `kv/` functions and shaped as the same JSON as the API, so the
 * page's island can refetch from the API and replace its data as it is.
 */
import AppConsole from "../../../../islands/AppConsole.tsx";
import { Island } from "../../../../components/island.tsx";
import { getApp } from "../../../../kv/apps.ts";
import { getLive, listReleases } from "../../../../kv/live.ts";
import { listVersions } from "../../../../kv/versions.ts";
import { RELEASES_SHOWN, VERSIONS_SHOWN } from "../../../../islands/lib/app_types.ts";
import { appUrl } from "../../../../lib/urls.ts";
import { liveJson, releaseJson } from "../../../api/live.ts";
import { versionJson } from "../../../api/versions.ts";
import { definePage } from "../../context.ts";

export default definePage({
  async GET(ctx) {
    const app = await getApp(ctx.kv, ctx.user.account.id, ctx.params.slug);
    const [versions, live, releases] = await Promise.all([
      listVersions(ctx.kv, app, { limit: VERSIONS_SHOWN }),
      getLive(ctx.kv, app.id),
      listReleases(ctx.kv, app, { limit: RELEASES_SHOWN }),
    ]);
    const url = appUrl(ctx.config, app.slug);
    return {
      title: app.name,
      body: (
        <>
          <nav class="crumbs" aria-label="Breadcrumb">
            <a href="/">Apps</a> <span aria-hidden="true">/</span> {app.slug}
          </nav>
          <nav class="app-links" aria-label="This app">
            <a href={`/apps/${app.slug}/stats`}>Stats</a>
            <a href={`/apps/${app.slug}/settings`}>Settings</a>
          </nav>
          <Island
            component={AppConsole}
            props={{
              slug: app.slug,
              url,
              initial: {
                versions: versions.items.map(versionJson),
                live: liveJson(live.value, ctx.now),
                releases: releases.items.map(releaseJson),
              },
              can: { deploy: ctx.can("deploy"), manage: ctx.can("manage") },
              now: ctx.now,
              locale: ctx.locale,
            }}
          />
        </>
      ),
    };
  },
});
