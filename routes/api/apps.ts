/** `/api/v1/apps`: create, list, read and delete apps. */
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type App, createApp, deleteApp, listApps } from "../../kv/apps.ts";
import { getLive } from "../../kv/live.ts";
import { activeTarget } from "../../kv/live_record.ts";
import { appUrl } from "../../lib/urls.ts";
import { AppCreate, AppSchema, ErrorSchema, listOf, ListQuery, SlugParam } from "./schemas.ts";
import { type ApiEnv, apiRouter, appOf, jsonBody, jsonResponse } from "./env.ts";
import { needs } from "./permission.ts";
import { auditBy } from "./audit.ts";
import { appCreateExample, appExample, appListExample } from "./examples.ts";

async function appJson(c: Context<ApiEnv>, app: App) {
  const live = await getLive(c.get("kv"), app.id);
  return {
    id: app.id,
    slug: app.slug,
    name: app.name,
    url: appUrl(c.get("config"), app.slug),
    live: activeTarget(live.value, c.get("config").now()).version,
    created_at: app.created_at,
  };
}

const error = (description: string) => jsonResponse(ErrorSchema, description);

export const apps = apiRouter()
  .openapi(
    createRoute({
      ...needs("manage"),
      method: "post",
      path: "/apps",
      tags: ["Apps"],
      summary: "Create an app",
      description: "Creates an app in the caller's account. Its slug names its storefront host " +
        "(`{slug}.{apps domain}`) and is unique across the platform: one DNS label of 1–40 " +
        "lowercase letters, digits and inner hyphens. Names that could pass for the platform " +
        "(`www`, `api`, `admin`, punycode labels…) are refused with `slug_reserved`.",
      request: { body: jsonBody(AppCreate, appCreateExample) },
      responses: {
        201: jsonResponse(AppSchema, "The new app", { ...appExample, live: null }),
        409: error("The slug is taken"),
        422: error("Invalid slug or name"),
      },
    }),
    async (c) => {
      const app = await createApp(
        c.get("kv"),
        c.get("principal").accountId,
        c.req.valid("json"),
        c.get("config").platformHost,
        auditBy(c),
      );
      return c.json(await appJson(c, app), 201);
    },
  )
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/apps",
      tags: ["Apps"],
      summary: "List apps",
      description: "The caller's apps, newest first, each with its storefront URL and the " +
        "version live now (`null` before the first promote).",
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(listOf(AppSchema, "AppList"), "Apps, newest first", appListExample),
      },
    }),
    async (c) => {
      const page = await listApps(c.get("kv"), c.get("principal").accountId, c.req.valid("query"));
      const items = await Promise.all(page.items.map((app) => appJson(c, app)));
      return c.json({ items, next_cursor: page.next_cursor }, 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/apps/{slug}",
      tags: ["Apps"],
      summary: "Read an app",
      description: "The app, its storefront URL and the version live now. Another account's " +
        "app is 404, as one that does not exist.",
      request: { params: SlugParam },
      responses: {
        200: jsonResponse(AppSchema, "The app", appExample),
        404: error("No such app"),
      },
    }),
    async (c) => {
      return c.json(await appJson(c, await appOf(c)), 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("manage"),
      method: "delete",
      path: "/apps/{slug}",
      tags: ["Apps"],
      summary: "Delete an app",
      description: "Deletes the app and everything in it: versions, what is live and its " +
        "history, test links and settings. Its host serves nothing from then on, and the slug " +
        "is free again. This cannot be undone.",
      request: { params: SlugParam },
      responses: { 204: { description: "Deleted" }, 404: error("No such app") },
    }),
    async (c) => {
      const { slug } = c.req.valid("param");
      await deleteApp(c.get("kv"), c.get("principal").accountId, slug, auditBy(c));
      return c.body(null, 204);
    },
  );
