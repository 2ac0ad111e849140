/**
 * `POST /api/v1/events` on an app host: the beacon the analytics scripts send. It counts into
 * the in-memory aggregates under the request's app, version and mode (see `counters.ts` for
 * who counts what): a `pageview` here is a client-side navigation of a single-page app — the
 * document load itself was counted by the edge when it served the page. A visitor is counted
 * once a day per browser through the `sy_seen` cookie holding the day, shared with the edge's
 * own counting, so no KV read or write happens per event and nobody is counted twice. What one
 * visitor may count is bounded (`beacon_limits.ts`), and only the store's own pages may send.
 */
import type { EdgeContext } from "./context.ts";
import { type BeaconEvent, parseBeaconEvent } from "./beacon_event.ts";
import { jsonError } from "./errors.ts";
import { readLimited } from "../lib/body.ts";
import { isHttps, readCookie, SEEN_COOKIE } from "./cookies.ts";
import { clientAddress } from "./forwarded.ts";

const MAX_EVENT_BYTES = 4096;

/**
 * Whether a beacon comes from a page of this store: a browser says so in `Sec-Fetch-Site`, and
 * one too old for that sends `Origin` with every POST. Without either, the request is not a
 * page's (curl, a server, another site's form), and its numbers are not the store's to count.
 */
function fromOwnPage(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin";
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  return URL.parse(origin)?.host === request.headers.get("host");
}

/** Counts the event a request sends under its app and mode, for `version` (its page's). */
export async function recordEvent(ctx: EdgeContext, version: number): Promise<Response> {
  const { request } = ctx;
  if (request.method !== "POST") {
    return jsonError("method_not_allowed", "method_not_allowed", "Send events with POST", [
      ["allow", "POST"],
    ]);
  }
  if (!fromOwnPage(request)) {
    return jsonError(
      "forbidden",
      "cross_origin_event",
      "Events are taken only from the store's own pages (same origin)",
    );
  }
  if (!version) return new Response(null, { status: 204 });
  let event: BeaconEvent;
  try {
    const body = await readLimited(
      request.body,
      MAX_EVENT_BYTES,
      () => new RangeError("too large"),
    );
    event = parseBeaconEvent(JSON.parse(new TextDecoder().decode(body)));
  } catch (error) {
    const message = error instanceof RangeError
      ? `Event body is larger than ${MAX_EVENT_BYTES} bytes`
      : 'Event must be JSON like {"type": "pageview"} or {"type": "conversion", "value": 1999}';
    return jsonError(
      error instanceof RangeError ? "too_large" : "invalid_input",
      "invalid_event",
      message,
    );
  }
  const { app, now } = ctx;
  const mode = ctx.mode.name;
  const { counters, beacons } = ctx.deps;
  const day = counters.today(now);
  // Keyed by where the beacon comes from, not by a cookie the sender picks: a script that
  // changes its cookies gets no new allowance, and every shopper is counted, split or not.
  const visitor = `${app.id}/${clientAddress(request, ctx.info, ctx.deps.config.trustedProxy)}`;
  if (!beacons.takeEvent(visitor, now, day)) {
    const wait = String(60 - Math.floor((now % 60_000) / 1000));
    return jsonError("rate_limited", "too_many_events", "Too many events from this visitor", [
      ["retry-after", wait],
    ]);
  }
  const headers = new Headers();
  if (event.type === "pageview") {
    counters.add(app.id, version, mode, "page_views", 1, now);
    if (readCookie(ctx, SEEN_COOKIE) !== day) {
      counters.add(app.id, version, mode, "visitors", 1, now);
      headers.append("set-cookie", counters.seenCookie(now, isHttps(ctx)));
    }
  } else if (beacons.takeConversion(visitor, now, day)) {
    // What the page reports, kept apart from the store's own orders (beacon_limits.ts).
    counters.add(app.id, version, mode, "reported_conversions", 1, now);
    if (event.value) counters.add(app.id, version, mode, "reported_revenue", event.value, now);
  }
  headers.set("cache-control", "no-store");
  return new Response(null, { status: 204, headers });
}
