/**
 * `/apps/:slug/versions/:n`: one version — its files, what it changes against the live version,
 * a preview, and its test links (create with label, expiry and an optional invitation; copy; a
 * QR code; visits; revoke). Reads and writes through the same `kv/` functions as the API.
 */
import { isSmtpConfigured } from "../../../../../config.ts";
import { type App, getApp } from "../../../../../kv/apps.ts";
import { getLive } from "../../../../../kv/live.ts";
import { createLink, listLinks, revokeLink } from "../../../../../kv/links.ts";
import { readManifest } from "../../../../../kv/manifests.ts";
import { diffVersions, mainLiveVersion } from "../../../../../kv/version_diff.ts";
import {
  deleteVersion,
  getVersion,
  listVersions,
  requireReady,
} from "../../../../../kv/versions.ts";
import { versionsInUse } from "../../../../../kv/live_record.ts";
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
} from "../../../../../lib/errors.ts";
import { appUrl } from "../../../../../lib/urls.ts";
import { parseVersionNumber } from "../../../../../lib/version_number.ts";
import { VersionSummary } from "../../../../../components/version/summary.tsx";
import { Changes } from "../../../../../components/version/changes.tsx";
import { FilesTable } from "../../../../../components/version/files.tsx";
import {
  type CreatedLink,
  EMPTY_LINK_FORM,
  type LinkForm,
  TestLinks,
} from "../../../../../components/version/test_links.tsx";
import { adminAuditBy } from "../../../audit_by.ts";
import { type AuthedContext, definePage, type PageView } from "../../../context.ts";
import { createTestLink } from "./_link_form.ts";
import { PreviewRedirect } from "../../../../../components/version/preview_redirect.tsx";
import { DeleteVersion } from "../../../../../components/version/delete_version.tsx";

/** The app and version a request names; 404 for a number written any other way. */
async function target(ctx: AuthedContext) {
  const app = await getApp(ctx.kv, ctx.user.principal.accountId, ctx.params.slug);
  const number = parseVersionNumber(ctx.params.n);
  if (number === null) throw new NotFoundError(`No such version of "${app.slug}": ${ctx.params.n}`);
  return { app, version: await getVersion(ctx.kv, app, number) };
}

/** The version's links, read through the API's list (newest first), a few pages deep. */
async function linksOf(kv: Deno.Kv, app: App, number: number) {
  const found = [];
  let cursor: string | null = null;
  for (let page = 0; page < 5; page++) {
    const result = await listLinks(kv, app, { limit: 100, cursor });
    found.push(...result.items.filter((link) => link.version === number));
    cursor = result.next_cursor;
    if (!cursor) break;
  }
  return found;
}

function againstOf(ctx: AuthedContext): number | "live" {
  const against = ctx.url.searchParams.get("against");
  return against === null || against === "live" ? "live" : parseVersionNumber(against) ?? "live";
}

async function view(
  ctx: AuthedContext,
  extra: {
    created: CreatedLink | null;
    form: LinkForm;
    status?: 200 | 409 | 422;
    problem?: string;
  },
): Promise<PageView> {
  const { app, version } = await target(ctx);
  const against = againstOf(ctx);
  const [live, files, diff, links, versions] = await Promise.all([
    getLive(ctx.kv, app.id),
    readManifest(ctx.kv, app.id, version),
    diffVersions(ctx.kv, app, version.number, against, ctx.now),
    linksOf(ctx.kv, app, version.number),
    listVersions(ctx.kv, app, { limit: 100 }),
  ]);
  const liveNumber = mainLiveVersion(live.value, ctx.now);
  const base = `/apps/${app.slug}/versions/${version.number}`;
  const common = { csrf: ctx.user.csrf, now: ctx.now, locale: ctx.locale };
  const canDeploy = ctx.can("deploy");
  const inUse = live.value ? versionsInUse(live.value, ctx.now).has(version.number) : false;
  return {
    title: `Version ${version.number} of ${app.name}`,
    heading: `${app.name}: version ${version.number}`,
    status: extra.status,
    body: (
      <>
        <nav class="crumbs" aria-label="Breadcrumb">
          <a href="/">Apps</a> <span aria-hidden="true">/</span>{" "}
          <a href={`/apps/${app.slug}`}>{app.name}</a> <span aria-hidden="true">/</span>{" "}
          <span aria-current="page">Version {version.number}</span>
        </nav>
        <VersionSummary
          slug={app.slug}
          version={version}
          live={liveNumber}
          canDeploy={canDeploy}
          {...common}
        />
        <TestLinks
          version={version.number}
          links={links}
          created={extra.created}
          form={extra.form}
          canDeploy={canDeploy && version.status === "ready"}
          canMail={isSmtpConfigured(ctx.config)}
          {...common}
        />
        <Changes
          diff={diff}
          againstLive={against === "live"}
          choices={versions.items.filter((v) => v.number !== version.number && v.status === "ready")
            .map((v) => v.number)}
          baseUrl={base}
        />
        <FilesTable
          files={files}
          page={Number(ctx.url.searchParams.get("files") ?? 1) || 1}
          baseUrl={base}
        />
        {ctx.can("manage") && (
          <DeleteVersion
            number={version.number}
            inUse={inUse}
            problem={extra.problem ?? null}
            csrf={ctx.user.csrf}
          />
        )}
      </>
    ),
  };
}

/** Deletes the version (manage), as the API's DELETE does; a refusal is shown on the page. */
async function remove(ctx: AuthedContext, app: App, number: number) {
  if (!ctx.can("manage")) {
    throw new ForbiddenError(
      `Your role (${ctx.user.principal.role}) cannot delete versions`,
      "insufficient_role",
    );
  }
  try {
    await deleteVersion(ctx.kv, app, number, adminAuditBy(ctx));
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return await view(ctx, {
      created: null,
      form: EMPTY_LINK_FORM,
      status: 409,
      problem: error.message,
    });
  }
  return ctx.c.redirect(`/apps/${app.slug}`, 303);
}

export default definePage({
  GET: (ctx) => view(ctx, { created: null, form: EMPTY_LINK_FORM }),
  postNeeds: {
    permission: "deploy",
    refusal: (role) => `Your role (${role}) cannot make or revoke test links`,
  },
  async POST(ctx, form) {
    const { app, version } = await target(ctx);
    const intent = form.get("intent");
    if (intent === "create-link") {
      const result = await createTestLink(ctx, app, version.number, form);
      return "created" in result
        ? await view(ctx, { created: result.created, form: EMPTY_LINK_FORM })
        : await view(ctx, { created: null, form: result.form, status: 422 });
    }
    if (intent === "revoke-link") {
      await revokeLink(ctx.kv, app, String(form.get("link") ?? ""), ctx.now, adminAuditBy(ctx));
      return ctx.c.redirect(`/apps/${app.slug}/versions/${version.number}#links`, 303);
    }
    if (intent === "preview") {
      requireReady(version);
      const { token } = await createLink(ctx.kv, app, {
        version: version.number,
        label: `Preview by ${ctx.user.principal.name}`,
        expiresInHours: 1,
        by: ctx.user.principal.name,
        now: ctx.now,
        audit: adminAuditBy(ctx),
      });
      const url = `${appUrl(ctx.config, app.slug)}/_switchyard/preview?token=${token}`;
      return {
        title: "Opening the preview",
        body: <PreviewRedirect url={url} version={version.number} />,
      };
    }
    if (intent === "delete") return await remove(ctx, app, version.number);
    throw new BadRequestError(`Unknown action on a version page: "${intent}"`);
  },
});
