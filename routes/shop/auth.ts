/**
 * Limited shopper tokens: `POST /auths/limited` issues one, and every other shopper call must
 * carry one (`Authorization: Bearer syl_…`). On an app host the token is bound to that app and
 * to the mode of the request: a test link's requests make test tokens (only they may, else 403
 * `insufficient_permissions`), and a live token under a test link, or a test token outside one,
 * is a 401, which makes Comecero's client drop its session and ask for a token of the right mode.
 * Every answer says how long the token still lives (`X-Token-Expires-In-Seconds`).
 */
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { getAccount } from "../../kv/accounts.ts";
import { findShopperToken, issueShopperToken, type ShopperToken } from "../../kv/shopper_tokens.ts";
import {
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from "../../lib/errors.ts";
import type { ShopContext, ShopEnv } from "./env.ts";

export const EXPIRES_HEADER = "X-Token-Expires-In-Seconds";

function secondsLeft(token: ShopperToken, now: number): string {
  return String(Math.max(0, Math.floor((Date.parse(token.expires_at) - now) / 1000)));
}

/** `POST /auths/limited`: a token for this app host, or for `account_id` on the platform host. */
export async function issueToken(c: ShopContext): Promise<Response> {
  const kv = c.get("kv");
  const now = c.get("config").now();
  const shopper = c.env.shopper;
  const accountId = c.req.query("account_id");
  const wantsTest = c.req.query("test") === "true";
  // Counted first: a flood of made-up account ids costs a lookup each too.
  await c.get("limits").take(kv, "token", c.env.origin.client, now);
  if (shopper === null) {
    if (!accountId) {
      throw new ValidationError('"account_id" is required', undefined, "invalid_input");
    }
    if (accountId.length > 64 || !await getAccount(kv, accountId)) {
      throw new NotFoundError(`No such account: "${accountId}"`);
    }
  } else if (accountId && accountId !== shopper.accountId) {
    throw new NotFoundError(`No such account on this host: "${accountId}"`);
  }
  const test = shopper?.mode === "test";
  if (wantsTest && !test) {
    throw new ForbiddenError(
      "Test orders are taken only through a test link of this app",
      "insufficient_permissions",
    );
  }
  const { token, record } = await issueShopperToken(kv, {
    accountId: shopper?.accountId ?? accountId!,
    appId: shopper?.appId ?? null,
    test,
    until: shopper?.testUntil,
  }, now);
  return c.json({ token, test, expires_at: record.expires_at }, 201, {
    [EXPIRES_HEADER]: secondsLeft(record, now),
  });
}

/** Refuses a call without a live token fit for this host and mode; keeps the token for it. */
export const requireShopperToken: MiddlewareHandler<ShopEnv> = async (c, next) => {
  // A path no endpoint has is a 404 whatever the credentials (middleware alone is `ALL`).
  if (!matchedRoutes(c).some((route) => route.method !== "ALL")) return await next();
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  if (!match) {
    throw new UnauthenticatedError('A limited token is required: "Authorization: Bearer <token>"');
  }
  const now = c.get("config").now();
  const token = await findShopperToken(c.get("kv"), match[1], now);
  if (!token) throw new UnauthenticatedError("The token is unknown or expired");
  const shopper = c.env.shopper;
  const fits = shopper === null
    ? token.app_id === null && !token.test
    : token.app_id === shopper.appId && token.test === (shopper.mode === "test");
  if (!fits) {
    throw new UnauthenticatedError(
      shopper?.mode === "test"
        ? "This token is not for this test link; ask for a new one"
        : "This token is not for this store or mode; ask for a new one",
    );
  }
  c.set("token", token);
  await next();
  c.res.headers.set(EXPIRES_HEADER, secondsLeft(token, now));
};
