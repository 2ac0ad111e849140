/**
 * `/apps/:slug/settings`: the app's runtime settings as a form generated from the fields of the
 * version that governs them (the live one, else the newest ready one). Saved through the same
 * `putSettings` and `validateSettings` as `PUT /api/v1/apps/{slug}/settings`; a refused value is
 * shown under its field. The storefront reads the values at `/settings/app.json` at once.
 */
import type { VNode } from "preact";
import { type App, getApp } from "../../../../kv/apps.ts";
import { getSettings, putSettings } from "../../../../kv/settings.ts";
import { settingsSchemaVersion } from "../../../../kv/settings_version.ts";
import type { Version } from "../../../../kv/versions.ts";
import { resolveSettings, validateSettings } from "../../../../package/settings_values.ts";
import type { FieldError } from "../../../../package/field_values.ts";
import { ValidationError } from "../../../../lib/errors.ts";
import { formSections, valuesFromForm } from "../../../../lib/settings_form.ts";
import { appUrl } from "../../../../lib/urls.ts";
import { SettingsForm, type SettingsGroup } from "../../../../components/settings_form.tsx";
import { adminAuditBy } from "../../audit_by.ts";
import { type AuthedContext, definePage, type PageView } from "../../context.ts";

type Values = { app: Record<string, unknown>; style: Record<string, unknown> };

function groupsOf(version: Version, values: Values): SettingsGroup[] {
  const fields = version.config?.fields ?? { settings: [], style: [] };
  const groups: SettingsGroup[] = [];
  if (fields.settings.length) {
    groups.push({
      name: "app",
      title: "App settings",
      sections: formSections("app", fields.settings, values.app),
    });
  }
  if (fields.style.length) {
    groups.push({
      name: "style",
      title: "Style",
      sections: formSections("style", fields.style, values.style),
    });
  }
  return groups;
}

function Empty({ app, version }: { app: App; version: Version | null }): VNode {
  if (!version) {
    return (
      <section class="card empty">
        <h2>No version to take settings from yet</h2>
        <p>
          Settings come from the package's <code>fields/settings.json</code> and{" "}
          <code>fields/style.json</code>. Deploy a version first:
        </p>
        <pre>deno task deploy --app {app.slug} ./dist</pre>
      </section>
    );
  }
  return (
    <section class="card empty">
      <h2>Version {version.number} declares no settings</h2>
      <p>
        To let merchants change texts, colours or numbers without a new upload, add{" "}
        <code>fields/settings.json</code> or <code>fields/style.json</code>{" "}
        to the package: a list of fields with <code>name</code>, <code>type</code>,{" "}
        <code>label</code> and <code>section</code>.
      </p>
    </section>
  );
}

async function view(
  ctx: AuthedContext,
  state: { values?: Values; errors?: Record<string, string>; status?: 200 | 422 } = {},
): Promise<PageView> {
  const app = await getApp(ctx.kv, ctx.user.principal.accountId, ctx.params.slug);
  const version = await settingsSchemaVersion(ctx.kv, app, ctx.now);
  const stored = await getSettings(ctx.kv, app.id);
  const values = state.values ?? resolveSettings(stored, version?.config ?? null);
  const groups = version ? groupsOf(version, values) : [];
  const storefront = appUrl(ctx.config, app.slug);
  const saved = ctx.url.searchParams.has("saved") && !state.errors;
  const canEdit = ctx.can("manage");
  return {
    title: `Settings of ${app.name}`,
    status: state.status,
    body: (
      <>
        <nav class="crumbs" aria-label="Breadcrumb">
          <a href="/">Apps</a> <span aria-hidden="true">/</span>{" "}
          <a href={`/apps/${app.slug}`}>{app.name}</a> <span aria-hidden="true">/</span>{" "}
          <span aria-current="page">Settings</span>
        </nav>
        {saved && (
          <p class="notice" role="status">
            Saved. The storefront uses them from now on:{" "}
            <a href={`${storefront}/settings/app.json`} target="_blank" rel="noopener">
              see /settings/app.json
            </a>.
          </p>
        )}
        <section class="card settings-intro">
          <p>
            {version
              ? `The fields below come from version ${version.number} of the package. ` +
                "Saved values apply to the live storefront at once, with no new version."
              : "Settings apply to the live storefront at once, with no new version."}
          </p>
          <p class="actions-row">
            <a class="button" href={storefront} target="_blank" rel="noopener">
              Open the storefront
            </a>
            <a
              class="button"
              href={`${storefront}/settings/app.json`}
              target="_blank"
              rel="noopener"
            >
              See /settings/app.json
            </a>
          </p>
          {!canEdit && (
            <p class="notice">
              Your role ({ctx.user.principal.role}) can read settings but not change them.
            </p>
          )}
        </section>
        {groups.length
          ? (
            <SettingsForm
              groups={groups}
              errors={state.errors ?? {}}
              canEdit={canEdit}
              csrf={ctx.user.csrf}
            />
          )
          : <Empty app={app} version={version} />}
      </>
    ),
  };
}

export default definePage({
  GET: (ctx) => view(ctx),
  postNeeds: {
    permission: "manage",
    refusal: (role) => `Your role (${role}) cannot change settings`,
  },
  async POST(ctx, form) {
    const app = await getApp(ctx.kv, ctx.user.principal.accountId, ctx.params.slug);
    const version = await settingsSchemaVersion(ctx.kv, app, ctx.now);
    const fields = version?.config?.fields ?? { settings: [], style: [] };
    const values = {
      app: valuesFromForm("app", fields.settings, form),
      style: valuesFromForm("style", fields.style, form),
    };
    try {
      await putSettings(
        ctx.kv,
        app,
        values,
        (next) => validateSettings(next, version?.config ?? null),
        adminAuditBy(ctx),
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors: Record<string, string> = {};
      for (const detail of (error.details ?? []) as FieldError[]) {
        errors[detail.field] ??= detail.message;
      }
      return await view(ctx, { values, errors, status: 422 });
    }
    return ctx.c.redirect(`/apps/${app.slug}/settings?saved`, 303);
  },
});
