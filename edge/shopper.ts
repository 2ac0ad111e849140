/**
 * The shopper API (Comecero's REST API, `routes/shop/`) as the edge sees it: a module it never
 * imports. server.ts hands the edge a loader that imports it on the first `/api/v1/` request to
 * an app host, so Hono and zod stay out of the start (DESIGN "Cold start"). The edge passes what
 * only it knows: the app, the version of the page the shopper is on, and whether the request
 * came through a test link.
 */
import type { EdgeContext } from "./context.ts";
import { pageVersion } from "./page_version.ts";
import type { ShopperApiLoader } from "./shopper_api.ts";

/**
 * The Comecero cookies a browser's client keeps (`token`, `cart_id`, `invoice_id`): cleared when
 * a test link is opened or left, so a browser shopping with a live token asks for a test one
 * (and back) instead of mixing test carts into live data (COMECERO-API.md §2).
 */
export const CLIENT_SESSION_COOKIES = ["token", "cart_id", "invoice_id"];

/** `Set-Cookie` lines that delete the Comecero client's session cookies (`Path=/`, as it sets them). */
export function clearClientSession(): [string, string][] {
  return CLIENT_SESSION_COOKIES.map((name) => ["set-cookie", `${name}=; Path=/; Max-Age=0`]);
}

/** Answers a `/api/v1/` request on an app host through the shopper API. */
export async function shopperRequest(ctx: EdgeContext, load: ShopperApiLoader): Promise<Response> {
  const [api, version] = await Promise.all([load(), pageVersion(ctx)]);
  const test = ctx.mode.name === "test";
  return await api.fetch(ctx.request, {
    accountId: ctx.app.account_id,
    appId: ctx.app.id,
    version,
    mode: test ? "test" : "live",
    testUntil: test && ctx.link ? Date.parse(ctx.link.expires_at) : null,
  });
}
