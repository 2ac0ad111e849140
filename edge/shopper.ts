/**
 * The shopper API (Comecero's REST API, `routes/shop/`) as the edge sees it: a module it never
 * imports. server.ts hands the edge a loader that imports it on the first `/api/v1/` request to
 * an app host, so Hono and zod stay out of the start (DESIGN "Cold start"). The edge passes what
 * only it knows: the app, the version of the page the shopper is on, and whether the request
 * came through a test link.
 */
import type { EdgeContext } from "./context.ts";
import { pageVersion } from "./page_version.ts";
import { clientAddress, proxyCountry } from "./forwarded.ts";
import type { ShopperApiLoader } from "./shopper_api.ts";
import { LIVE_TOKEN_PREFIX, TEST_TOKEN_PREFIX } from "../kv/shopper_tokens.ts";

/**
 * A script, run by `/settings/account.js` before Comecero's client loads, that drops the client's
 * session (`token`, `cart_id`, `invoice_id` cookies) when its token is of the other mode: a live
 * token in a browser that has just opened a test link, a test token once it has left. Comecero's
 * client keeps a token it holds even after `account.test` turns (COMECERO-API.md §2); without
 * its cookies it asks for a token of the page's mode. Token prefixes tell the modes apart
 * (kv/shopper_tokens.ts), so no request waits for anything. Built once per mode at start:
 * the script depends on nothing else.
 */
function switchScript(wrong: string): string {
  return `(function () { var m = /(?:^|;\\s*)token=([^;]*)/.exec(document.cookie); ` +
    `if (m && decodeURIComponent(m[1]).indexOf(${JSON.stringify(wrong)}) === 0) ` +
    `["token", "cart_id", "invoice_id"].forEach(function (n) { ` +
    `document.cookie = n + "=; path=/; max-age=0"; }); })();\n`;
}

const SWITCH_SCRIPTS = {
  live: switchScript(TEST_TOKEN_PREFIX),
  test: switchScript(LIVE_TOKEN_PREFIX),
};

/** The session switch script for a page of the test or the live mode. */
export function sessionSwitchScript(test: boolean): string {
  return test ? SWITCH_SCRIPTS.test : SWITCH_SCRIPTS.live;
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
    client: clientAddress(ctx.request, ctx.info, ctx.deps.config.trustedProxy),
    country: proxyCountry(ctx.request, ctx.info, ctx.deps.config.trustedProxy),
  });
}
