/** `/api/v1/apps/{slug}/settings`: the merchant's runtime settings for an app. */
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App } from "../../kv/apps.ts";
import { getSettings, putSettings, type StoredSettings } from "../../kv/settings.ts";
import { resolveSettings, validateSettings } from "../../package/settings_values.ts";
import { settingsSchemaVersion } from "../../kv/settings_version.ts";
import { ErrorSchema, SettingsPut, SettingsSchema, SlugParam } from "./schemas.ts";
import { type ApiEnv, apiRouter, appOf, jsonBody, jsonResponse } from "./env.ts";
import { needs } from "./permission.ts";
import { auditBy } from "./audit.ts";
import { settingsExample, settingsPutExample } from "./examples.ts";

/** The version whose fields the settings are checked against (kv/settings_version.ts). */
function schemaVersion(c: Context<ApiEnv>, app: App) {
  return settingsSchemaVersion(c.get("kv"), app, c.get("config").now());
}

function settingsJson(stored: StoredSettings, version: Awaited<ReturnType<typeof schemaVersion>>) {
  return {
    ...resolveSettings(stored, version?.config ?? null),
    script: stored.script,
    css: stored.css,
    updated_at: stored.updated_at,
    version: version?.number ?? null,
  };
}

export const settings = apiRouter()
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/apps/{slug}/settings",
      tags: ["Settings"],
      summary: "Read runtime settings",
      description: "The merchant's values for the fields the live version declares " +
        "(`fields/*.json`; before anything is live, the newest ready version's), defaults " +
        "filled in, and the custom script and CSS.",
      request: { params: SlugParam },
      responses: {
        200: jsonResponse(SettingsSchema, "Values with defaults filled in", settingsExample),
      },
    }),
    async (c) => {
      const app = await appOf(c);
      const version = await schemaVersion(c, app);
      return c.json(settingsJson(await getSettings(c.get("kv"), app.id), version), 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("manage"),
      method: "put",
      path: "/apps/{slug}/settings",
      tags: ["Settings"],
      summary: "Change runtime settings",
      description: "Checks the values against the fields of the live version (before anything " +
        "is live, the newest ready one) and stores them; the storefront reads them without a " +
        "new version. 422 lists every failing field.",
      request: { params: SlugParam, body: jsonBody(SettingsPut, settingsPutExample) },
      responses: {
        200: jsonResponse(SettingsSchema, "The values now in force", settingsExample),
        422: jsonResponse(ErrorSchema, "Every failing field, by name"),
      },
    }),
    async (c) => {
      const app = await appOf(c);
      const version = await schemaVersion(c, app);
      const config = version?.config ?? null;
      const stored = await putSettings(
        c.get("kv"),
        app,
        c.req.valid("json"),
        (next) => validateSettings(next, config),
        auditBy(c),
      );
      return c.json(settingsJson(stored, version), 200);
    },
  );
