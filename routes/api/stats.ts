/** `/api/v1/apps/{slug}/stats`: conversion per version per day, and how a split is doing. */
import { createRoute, z } from "@hono/zod-openapi";
import { readStats } from "../../kv/stats.ts";
import { ValidationError } from "../../lib/errors.ts";
import { apiRouter, appOf, jsonResponse } from "./env.ts";
import { needs } from "./permission.ts";
import { ErrorSchema, ReleaseSchema, SlugParam } from "./schemas.ts";
import { statsExample } from "./stats_example.ts";

/** The longest range one answer covers: a year, leap day included. */
export const MAX_STATS_DAYS = 366;
/** Without `from`, the 30 days up to `to`. */
const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;

/** A `YYYY-MM-DD` day that exists (zod runs the refinement even when the pattern failed). */
const isDay = (day: string) => {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(day);
};

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A day written YYYY-MM-DD")
  .refine(isDay, "No such day");

const StatsQuery = z.object({
  from: Day.optional().openapi({ description: "First day (UTC), included", example: "2026-11-01" }),
  to: Day.optional().openapi({ description: "Last day (UTC), included; default today" }),
  mode: z.enum(["live", "test"]).default("live").openapi({
    description: "`live` traffic, or `test`: what came through test links",
  }),
});

const Rate = z.number().min(0).nullable();
const IntervalSchema = z.object({ low: z.number(), high: z.number() }).openapi("Interval");

const CountsSchema = z.object({
  visitors: z.number().int().openapi({ description: "Browsers seen, counted once a day each" }),
  page_views: z.number().int(),
  carts: z.number().int(),
  orders: z.number().int(),
  revenue: z.number().int().openapi({
    description: "Paid orders' totals in minor units (cents) of `currency`; orders paid in " +
      "another currency count as orders, not as revenue",
  }),
  conversion_rate: Rate.openapi({ description: "orders ÷ visitors; null without visitors" }),
  cart_conversion_rate: Rate.openapi({ description: "orders ÷ carts; null without carts" }),
}).openapi("StatsCounts");

const ArmSchema = z.object({
  version: z.number().int(),
  weight: z.number().int(),
  visitors: z.number().int(),
  orders: z.number().int(),
  conversion_rate: Rate,
  interval: IntervalSchema.nullable().openapi({
    description: "95 % Wilson score interval of the conversion rate",
  }),
}).openapi("SplitArmStats");

const SplitStatsSchema = z.object({
  from: z.string(),
  to: z.string(),
  live: z.boolean(),
  arms: z.array(ArmSchema),
  comparison: z.object({
    leader: z.number().int(),
    baseline: z.number().int(),
    difference: z.number(),
    interval: IntervalSchema,
    method: z.literal("newcombe_hybrid_score"),
  }).nullable(),
  verdict: z.string(),
}).openapi("SplitStats");

const StatsSchema = z.object({
  from: z.string(),
  to: z.string(),
  mode: z.enum(["live", "test"]),
  currency: z.string().openapi({
    description: "The account's default currency: `revenue` is in its minor units",
    example: "USD",
  }),
  versions: z.array(z.object({
    version: z.number().int(),
    totals: CountsSchema,
    days: z.array(CountsSchema.extend({ day: z.string() })),
  })),
  split: SplitStatsSchema.nullable(),
  releases: z.array(ReleaseSchema.extend({ effective_at: z.string() })),
}).openapi("Stats");

/** `from` and `to` of a request, defaults filled in and the range checked. */
function rangeOf(query: { from?: string; to?: string }, now: number) {
  const to = query.to ?? new Date(now).toISOString().slice(0, 10);
  const toMs = Date.parse(`${to}T00:00:00Z`);
  const from = query.from ??
    new Date(toMs - (DEFAULT_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  const days = (toMs - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days < 1) {
    throw new ValidationError(`The range ends before it starts: "${from}" to "${to}"`, [
      { field: "from", message: "Must be on or before to" },
    ]);
  }
  if (days > MAX_STATS_DAYS) {
    throw new ValidationError(`The range is ${days} days long, more than ${MAX_STATS_DAYS}`, [
      { field: "from", message: `At most ${MAX_STATS_DAYS} days before to` },
    ]);
  }
  return { from, to };
}

export const stats = apiRouter().openapi(
  createRoute({
    ...needs("read"),
    method: "get",
    path: "/apps/{slug}/stats",
    tags: ["Stats"],
    summary: "Conversion per version per day, and how a split is doing",
    description: "For each version that counted anything between `from` and `to` (UTC days, " +
      "both included; default the 30 days up to today, at most 366): visitors, page views, " +
      "carts, orders, revenue and conversion per day (days that counted nothing are left out) " +
      "and in total, read from counters kept as shoppers come and buy. Under a traffic split " +
      "(live mode), the latest split that ran in the range is compared over the days it ran: " +
      "each arm's conversion with its 95 % Wilson score interval, the difference between the " +
      "best arm and the runner-up with its 95 % interval (Newcombe's hybrid score method, " +
      "sound at the low rates stores see), and a verdict in words. `releases` are the changes " +
      "of what was live that took effect in the range, to mark on the same time axis.",
    request: { params: SlugParam, query: StatsQuery },
    responses: {
      200: jsonResponse(StatsSchema, "Per version per day, the split and releases", statsExample),
      422: jsonResponse(ErrorSchema, "A day that does not exist, or a range out of bounds"),
    },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const now = c.get("config").now();
    const app = await appOf(c);
    const report = await readStats(c.get("kv"), app, {
      ...rangeOf(query, now),
      mode: query.mode,
      now,
    });
    const releases = report.releases.map(({ seq: _seq, ...release }) => release);
    return c.json({ ...report, releases }, 200);
  },
);
