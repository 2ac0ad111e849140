/** `/api/v1/apps`: create, list, read and delete apps. */
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type App, createApp, deleteApp, listApps } from "../../kv/apps.ts";
import { getLive } from "../../kv/live.ts";
import { activeTarget } from "../../kv/live_record.ts";
import { appUrl } from "../../lib/urls.ts";
import { AppCreate, AppSchema, ErrorSchema, listOf, ListQuery, SlugParam } from "./schemas.ts";
import { type ApiEnv, apiRouter, appOf, jsonBody, jsonResponse } from "./env.ts";

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
      method: "post",
      path: "/apps",
      tags: ["Apps"],
      request: { body: jsonBody(AppCreate) },
      responses: {
        201: jsonResponse(AppSchema, "The new app"),
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
      );
      return c.json(await appJson(c, app), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/apps",
      tags: ["Apps"],
      request: { query: ListQuery },
      responses: { 200: jsonResponse(listOf(AppSchema, "AppList"), "Apps, newest first") },
    }),
    async (c) => {
      const page = await listApps(c.get("kv"), c.get("principal").accountId, c.req.valid("query"));
      const items = await Promise.all(page.items.map((app) => appJson(c, app)));
      return c.json({ items, next_cursor: page.next_cursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/apps/{slug}",
      tags: ["Apps"],
      request: { params: SlugParam },
      responses: { 200: jsonResponse(AppSchema, "The app"), 404: error("No such app") },
    }),
    async (c) => {
      return c.json(await appJson(c, await appOf(c)), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/apps/{slug}",
      tags: ["Apps"],
      request: { params: SlugParam },
      responses: { 204: { description: "Deleted" }, 404: error("No such app") },
    }),
    async (c) => {
      await deleteApp(c.get("kv"), c.get("principal").accountId, c.req.valid("param").slug);
      return c.body(null, 204);
    },
  );
