/** `/apps/:slug/upload`: drag and drop a folder or an archive to make a new version. */
import Upload from "../../../../islands/Upload.tsx";
import { Island } from "../../../../components/island.tsx";
import { getApp } from "../../../../kv/apps.ts";
import { ForbiddenError } from "../../../../lib/errors.ts";
import { formatNumber } from "../../../../lib/format.ts";
import { definePage } from "../../context.ts";

export default definePage({
  async GET(ctx) {
    const app = await getApp(ctx.kv, ctx.user.account.id, ctx.params.slug);
    if (!ctx.can("deploy")) throw new ForbiddenError("Your role cannot upload versions");
    const limits = ctx.config.packageLimits;
    return {
      title: `Upload to ${app.name}`,
      heading: "Upload a version",
      body: (
        <>
          <nav class="crumbs" aria-label="Breadcrumb">
            <a href="/">Apps</a> <span aria-hidden="true">/</span>{" "}
            <a href={`/apps/${app.slug}`}>{app.slug}</a> <span aria-hidden="true">/</span> upload
          </nav>
          <section class="card">
            <Island component={Upload} props={{ slug: app.slug }} />
            <p class="muted small">
              The package needs an <code>index.html</code> at its root; up to{" "}
              {formatNumber(limits.files, ctx.locale)} files. From a terminal or CI:{" "}
              <code>deno task deploy ./dist --app {app.slug}</code>
            </p>
          </section>
        </>
      ),
    };
  },
});
