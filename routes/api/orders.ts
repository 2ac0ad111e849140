/**
 * The merchant's orders: each with the app, version and mode of the page that took it, listed
 * newest first and filtered by them, so a merchant sees which version sells.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { fromMinor } from "../../commerce/money.ts";
import { getApp, listApps } from "../../kv/apps.ts";
import { getOrder, listOrders, type OrderRecord } from "../../kv/orders.ts";
import { OrderQuery, OrderSchema } from "./commerce_schemas.ts";
import { type ApiEnv, apiRouter, jsonResponse } from "./env.ts";
import { needs } from "./permission.ts";
import { ErrorSchema, listOf } from "./schemas.ts";

const error = (description: string) => jsonResponse(ErrorSchema, description);

function orderJson(order: OrderRecord, slugs: Map<string, string>) {
  const m = (minor: number) => fromMinor(minor, order.currency);
  return {
    order_id: order.order_id,
    payment_id: order.payment_id,
    cart_id: order.cart_id,
    app: order.app_id ? slugs.get(order.app_id) ?? null : null,
    app_id: order.app_id,
    version: order.version,
    mode: order.mode,
    currency: order.currency,
    customer: order.customer as unknown as Record<string, unknown>,
    items: order.items.map((item) => ({
      product_id: item.product_id,
      name: item.name,
      quantity: item.quantity,
      price: m(item.price),
      subtotal: m(item.subtotal),
    })),
    shipping_item: order.shipping_item
      ? { ...order.shipping_item, price: m(order.shipping_item.price) }
      : null,
    subtotal: m(order.subtotal),
    shipping: m(order.shipping),
    tax: m(order.tax),
    total: m(order.total),
    date_created: order.date_created,
  };
}

/** App id → slug for the account's apps (an account has few). */
async function appSlugs(c: Context<ApiEnv>): Promise<Map<string, string>> {
  const page = await listApps(c.get("kv"), c.get("principal").accountId, { limit: 100 });
  return new Map(page.items.map((app) => [app.id, app.slug]));
}

const orderExample = {
  order_id: "01JDQAB3C4D5E6F7G8H9J0K1M2",
  payment_id: "01JDQAB3C4D5E6F7G8H9J0K1M3",
  cart_id: "01JDQAB3C4D5E6F7G8H9J0K1M1",
  app: "shop",
  app_id: "01JDQ9F2G3H4J5K6M7N8P9Q0R1",
  version: 7,
  mode: "live",
  currency: "USD",
  customer: { name: "Ada", email: "ada@example.com" },
  items: [{ product_id: "mug", name: "Stoneware Mug", quantity: 2, price: 24, subtotal: 48 }],
  shipping_item: { item_id: "standard", name: "Standard", price: 5 },
  subtotal: 48,
  shipping: 5,
  tax: 4.37,
  total: 57.37,
  date_created: "2026-11-28T09:00:00.000Z",
};

export const orders = apiRouter()
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/orders",
      tags: ["Orders"],
      summary: "List orders",
      description: "The account's orders, newest first, each with the app, version and mode " +
        "(`live`, or `test` through a test link) of the page the shopper paid on. Filter by " +
        "`app` (slug), `version` and `mode`; a page holds the matches among at most 1,000 " +
        "orders looked at, and `next_cursor` goes on.",
      request: { query: OrderQuery },
      responses: {
        200: jsonResponse(listOf(OrderSchema, "OrderList"), "Orders, newest first", {
          items: [orderExample],
          next_cursor: null,
        }),
        404: error("No such app"),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const accountId = c.get("principal").accountId;
      const app = query.app ? await getApp(c.get("kv"), accountId, query.app) : null;
      const page = await listOrders(c.get("kv"), accountId, {
        appId: app?.id,
        version: query.version,
        mode: query.mode,
        limit: query.limit,
        cursor: query.cursor,
      });
      const slugs = await appSlugs(c);
      return c.json({
        items: page.items.map((order) => orderJson(order, slugs)),
        next_cursor: page.next_cursor,
      }, 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/orders/{id}",
      tags: ["Orders"],
      summary: "Read an order",
      description: "The order with its lines, totals, customer, and the app, version and mode " +
        "of the page it was paid on. Another account's order is 404.",
      request: {
        params: z.object({
          id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }),
        }),
      },
      responses: {
        200: jsonResponse(OrderSchema, "The order", orderExample),
        404: error("No such order"),
      },
    }),
    async (c) => {
      const order = await getOrder(
        c.get("kv"),
        c.get("principal").accountId,
        c.req.valid("param").id,
      );
      return c.json(orderJson(order, await appSlugs(c)), 200);
    },
  );
