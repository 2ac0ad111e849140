/**
 * The shopper API: the subset of Comecero's REST API its open-source cart uses
 * (shared/COMECERO-API.md), answered on every app host (through the edge, which passes what it
 * knows of the request: edge/shopper.ts) and on the platform host for limited tokens
 * (routes/platform.ts). Imported lazily by both, never at start.
 */
import { Hono } from "hono";
import type { Config } from "../../config.ts";
import type { ShopperApi } from "../../edge/shopper_api.ts";
import { getOrder, getPayment, type OrderRecord } from "../../kv/orders.ts";
import { getCart } from "../../kv/carts.ts";
import { activeProducts, getProduct, type Product, productsById } from "../../kv/catalog.ts";
import { NotFoundError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/log.ts";
import { issueToken, requireShopperToken } from "./auth.ts";
import { carts } from "./carts.ts";
import type { ShopContext, ShopEnv } from "./env.ts";
import { viewFor } from "./env.ts";
import { shopErrorHandler, shopErrorResponse } from "./errors.ts";
import { payHandler } from "./pay.ts";
import { cartJson, productJson } from "./present.ts";
import { orderJson, paymentJson } from "./present_sale.ts";
import { priceCart } from "./pricing.ts";
import { ShopLimits } from "./limits.ts";
import { createTestGateway, type PaymentGateway } from "../../commerce/gateway.ts";

/** The longest id a shopper path carries (ProductId in schemas.ts; generated ids are shorter). */
const MAX_PATH_ID = 64;

async function productsHandler(c: ShopContext) {
  const limit = Math.min(Math.max(Math.trunc(Number(c.req.query("limit"))) || 50, 1), 100);
  const offset = Math.max(Math.trunc(Number(c.req.query("offset"))) || 0, 0);
  const all = await activeProducts(c.get("kv"), c.get("token").account_id);
  const view = viewFor(c);
  const url = (at: number) => `/products?limit=${limit}&offset=${at}`;
  return c.json({
    object: "list",
    data: all.slice(offset, offset + limit).map((product) => productJson(product, view)),
    total_items: all.length,
    total_pages: Math.max(1, Math.ceil(all.length / limit)),
    current_page: Math.floor(offset / limit) + 1,
    limit,
    current_page_url: url(offset),
    next_page_offset: offset + limit < all.length ? offset + limit : null,
    previous_page_offset: offset > 0 ? Math.max(0, offset - limit) : null,
  });
}

/** The products an order's lines name, when the view embeds them. */
async function orderProducts(c: ShopContext, order: OrderRecord, prefix: string) {
  if (!viewFor(c).expand.has(`${prefix}items.product`)) return new Map<string, Product>();
  return await productsById(c.get("kv"), order.account_id, order.items.map((i) => i.product_id));
}

/** A payment or order is the token's that made it; another's is "not found". */
function ownedBy<T extends { token_id: string }>(
  c: ShopContext,
  record: T,
  what: string,
  id: string,
): T {
  if (record.token_id !== c.get("token").id) {
    throw new NotFoundError(`No such ${what}: "${id}"`, "resource_not_found");
  }
  return record;
}

async function paymentHandler(c: ShopContext) {
  const kv = c.get("kv");
  const token = c.get("token");
  const id = c.req.param("id")!;
  const payment = ownedBy(c, await getPayment(kv, token.account_id, id), "payment", id);
  const order = await getOrder(kv, token.account_id, payment.order_id);
  const view = viewFor(c);
  const cart = view.expand.has("cart")
    ? cartJson(
      await priceCart(kv, (await getCart(kv, token.account_id, payment.cart_id, token.id)).value),
      view,
      "cart.",
    )
    : null;
  const products = await orderProducts(c, order, "order.");
  return c.json(paymentJson(payment, { order: orderJson(order, products, view), cart }, view));
}

async function orderHandler(c: ShopContext) {
  const token = c.get("token");
  const id = c.req.param("id")!;
  const order = ownedBy(c, await getOrder(c.get("kv"), token.account_id, id), "order", id);
  return c.json(orderJson(order, await orderProducts(c, order, ""), viewFor(c), ""));
}

/**
 * The shopper API over `kv`. Payments go through `gateway`: so far only the test gateway
 * (Stripe's test cards, no money moved), one per API unless the caller shares one (tests count
 * its charges).
 */
export function createShopApi(
  kv: Deno.Kv,
  config: Config,
  log: Logger,
  gateway: PaymentGateway = createTestGateway(),
): ShopperApi {
  const app = new Hono<ShopEnv>().basePath("/api/v1");
  const limits = new ShopLimits();
  app.use("*", async (c, next) => {
    c.set("kv", kv);
    c.set("limits", limits);
    c.set("gateway", gateway);
    c.set("config", config);
    c.set("log", log);
    await next();
    if (!c.res.headers.has("cache-control")) c.res.headers.set("cache-control", "no-store");
  });
  app.post("/auths/limited", issueToken);
  // Every id in a path (products, carts, payments, orders) is at most 64 characters; a longer one
  // names nothing, and is a 404 before it reaches KV (whose keys it would make too large).
  app.use("*", async (c, next) => {
    if (c.req.path.split("/").some((part) => part.length > MAX_PATH_ID)) {
      throw new NotFoundError(
        "No such resource: an id is at most 64 characters",
        "resource_not_found",
      );
    }
    await next();
  });
  app.use("*", requireShopperToken);
  app.get("/products", productsHandler);
  app.get("/products/:id", async (c) => {
    const product = await getProduct(kv, c.get("token").account_id, c.req.param("id"));
    if (!product.active) throw new NotFoundError(`No such product: "${product.product_id}"`);
    return c.json(productJson(product, viewFor(c)));
  });
  app.route("/", carts);
  app.post("/carts/:id/payments", payHandler);
  app.get("/payments/:id", paymentHandler);
  app.get("/orders/:id", orderHandler);
  app.onError(shopErrorHandler(log));
  app.notFound((c) =>
    shopErrorResponse(
      new NotFoundError(`No such endpoint: ${c.req.method} ${c.req.path}`),
      c.req.raw,
    )
  );
  return {
    fetch: (request, shopper, origin) =>
      Promise.resolve(app.fetch(request, {
        shopper,
        // A caller with neither (an in-process request) is one client, limited as one.
        origin: shopper ?? origin ?? { client: "in-process", country: null },
      })),
  };
}
