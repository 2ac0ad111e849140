/**
 * `POST /api/v1/events` on an app host: the beacon the analytics scripts send. It counts into
 * the in-memory aggregates under the request's app, version and mode (see `counters.ts` for
 * who counts what): a `pageview` here is a client-side navigation of a single-page app — the
 * document load itself was counted by the edge when it served the page. A visitor is counted
 * once a day per browser through the `sy_seen` cookie holding the day, shared with the edge's
 * own counting, so no KV read or write happens per event and nobody is counted twice.
 */
import type { EdgeContext } from "./context.ts";
import { type BeaconEvent, parseBeaconEvent } from "./beacon_event.ts";
import { jsonError } from "./errors.ts";
import { readLimited } from "../lib/body.ts";
import { isHttps, readCookie, SEEN_COOKIE } from "./cookies.ts";

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
      "cross_origin",
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
  const { counters } = ctx.deps;
  const headers = new Headers();
  if (event.type === "pageview") {
    counters.add(app.id, version, mode, "page_views", 1, now);
    if (readCookie(ctx, SEEN_COOKIE) !== counters.today(now)) {
      counters.add(app.id, version, mode, "visitors", 1, now);
      headers.append("set-cookie", counters.seenCookie(now, isHttps(ctx)));
    }
  } else {
    counters.add(app.id, version, mode, "conversions", 1, now);
    if (event.value) counters.add(app.id, version, mode, "revenue", event.value, now);
  }
  headers.set("cache-control", "no-store");
  return new Response(null, { status: 204, headers });
}
