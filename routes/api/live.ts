/** `/api/v1/apps/{slug}/live`, rollback, schedule and releases: going live. */
import { createRoute, z } from "@hono/zod-openapi";
import {
  addSchedule,
  getLive,
  listReleases,
  promote,
  type Release,
  removeSchedule,
  rollback,
  setSplit,
} from "../../kv/live.ts";
import { activeTarget, type LiveRecord } from "../../kv/live_record.ts";
import {
  ErrorSchema,
  IdParam,
  listOf,
  ListQuery,
  LiveChanged,
  LivePut,
  LiveSchema,
  ReleaseSchema,
  ScheduleCreate,
  SlugParam,
} from "./schemas.ts";
import { apiRouter, appOf, jsonBody, jsonResponse } from "./env.ts";
import { needs } from "./permission.ts";
import { auditBy } from "./audit.ts";
import {
  liveChangedExample,
  liveExample,
  livePutExample,
  releaseListExample,
  rolledBackExample,
  scheduleCreateExample,
  scheduledExample,
} from "./examples.ts";

const error = (description: string) => jsonResponse(ErrorSchema, description);

const changed = (release: Release) => ({ version: release.version, previous: release.previous });

/** A release as the API answers it (the admin's pages show the same). */
export function releaseJson(release: Release) {
  const { seq: _seq, ...rest } = release;
  return rest;
}

/** What is live at `now`, as the API answers it (the admin's pages show the same). */
export function liveJson(record: LiveRecord | null, now: number) {
  const target = activeTarget(record, now);
  return {
    version: target.version,
    split: target.split,
    schedule: (record?.schedule ?? []).filter((item) => Date.parse(item.at) > now),
    updated_at: record?.updated_at ?? null,
    updated_by: record?.updated_by ?? null,
  };
}

export const live = apiRouter()
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/apps/{slug}/live",
      tags: ["Going live"],
      summary: "Read what is live",
      description: "The version (or the split) shoppers get now, the changes scheduled for " +
        "later, and who made the last change.",
      request: { params: SlugParam },
      responses: {
        200: jsonResponse(LiveSchema, "What is live, split and scheduled", liveExample),
      },
    }),
    async (c) => {
      const entry = await getLive(c.get("kv"), (await appOf(c)).id);
      return c.json(liveJson(entry.value, c.get("config").now()), 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("deploy"),
      method: "put",
      path: "/apps/{slug}/live",
      tags: ["Going live"],
      summary: "Promote a version, or split traffic, in one checked atomic commit",
      description: "Makes one ready version live (`{version}`), or splits traffic between " +
        "2–10 ready versions (`{split}`, integer weights summing to 100, sticky per shopper). " +
        "With `expect`, the change is made only while the version live is the one named " +
        "(`null`: nothing live), else 409 `live_changed` with the live one in " +
        "`details.live`; without it, a change racing another is retried.",
      request: { params: SlugParam, body: jsonBody(LivePut, livePutExample) },
      responses: {
        200: jsonResponse(
          LiveChanged,
          "The new live version and the one before",
          liveChangedExample,
        ),
        409: error("`expect` is stale"),
        422: error("The version is not ready, or the input is invalid"),
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const app = await appOf(c);
      const by = c.get("principal").name;
      const audit = auditBy(c);
      const { expect } = input;
      const release = "split" in input
        ? await setSplit(c.get("kv"), app, { split: input.split, expect, by, audit })
        : await promote(c.get("kv"), app, { version: input.version, expect, by, audit });
      return c.json(changed(release), 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("deploy"),
      method: "post",
      path: "/apps/{slug}/rollback",
      tags: ["Going live"],
      summary: "Roll back to the version live before",
      description: "Makes the version live before the current one live again, and records a " +
        "release. Not idempotent: sent twice, it goes back two versions. 409 when nothing was " +
        "live before.",
      request: { params: SlugParam },
      responses: {
        200: jsonResponse(LiveChanged, "Back to the version live before", rolledBackExample),
        409: error("Nothing to roll back to"),
      },
    }),
    async (c) => {
      const app = await appOf(c);
      const release = await rollback(c.get("kv"), app, c.get("principal").name, auditBy(c));
      return c.json(changed(release), 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("manage"),
      method: "post",
      path: "/apps/{slug}/schedule",
      tags: ["Going live"],
      summary: "Schedule a promote or a split",
      description: "Records a change of what is live for a future time. Every edge applies it " +
        "from `at` by its own clock, so no background job has to fire on time.",
      request: { params: SlugParam, body: jsonBody(ScheduleCreate, scheduleCreateExample) },
      responses: {
        201: jsonResponse(
          z.object({ id: IdParam, at: z.string(), version: z.number().int().nullable() }),
          "The scheduled change",
          scheduledExample,
        ),
        422: error("In the past, or a version that is not ready"),
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const release = await addSchedule(c.get("kv"), await appOf(c), {
        ...input,
        by: c.get("principal").name,
        now: c.get("config").now(),
        audit: auditBy(c),
      });
      return c.json({
        id: release.schedule_id!,
        at: release.scheduled_at!,
        version: release.version,
        split: release.split,
      }, 201);
    },
  )
  .openapi(
    createRoute({
      ...needs("manage"),
      method: "delete",
      path: "/apps/{slug}/schedule/{id}",
      tags: ["Going live"],
      summary: "Cancel a scheduled change",
      description: "Removes a change that has not happened yet; what is live stays as it is.",
      request: { params: SlugParam.extend({ id: IdParam }) },
      responses: { 204: { description: "Cancelled" }, 404: error("No such pending change") },
    }),
    async (c) => {
      const app = await appOf(c);
      await removeSchedule(
        c.get("kv"),
        app,
        c.req.valid("param").id,
        c.get("principal").name,
        c.get("config").now(),
        auditBy(c),
      );
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/apps/{slug}/releases",
      tags: ["Going live"],
      summary: "List releases",
      description: "Every change of what is live, newest first: promotes, rollbacks, splits and " +
        "scheduled changes, each with the version before it and who made it.",
      request: { params: SlugParam, query: ListQuery },
      responses: {
        200: jsonResponse(listOf(ReleaseSchema, "ReleaseList"), "Newest first", releaseListExample),
      },
    }),
    async (c) => {
      const page = await listReleases(c.get("kv"), await appOf(c), c.req.valid("query"));
      return c.json({ items: page.items.map(releaseJson), next_cursor: page.next_cursor }, 200);
    },
  );
