/**
 * The merchant's catalog: products (create, read, list, change, delete); the shopping options
 * every cart offers are in shopping_options.ts. Prices go in and out as numbers in the currency's
 * units and are kept in minor units (commerce/money.ts), so no total drifts.
 */
import { createRoute } from "@hono/zod-openapi";
import { fromMinor, isCurrency, toMinor } from "../../commerce/money.ts";
import {
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  type Product,
  updateProduct,
} from "../../kv/catalog.ts";
import { newId } from "../../kv/ids.ts";
import { auditBy } from "./audit.ts";
import { ValidationError } from "../../lib/errors.ts";
import { ProductCreate, ProductIdParam, ProductSchema, ProductUpdate } from "./commerce_schemas.ts";
import { apiRouter, jsonBody, jsonResponse } from "./env.ts";
import { needs } from "./permission.ts";
import { ErrorSchema, listOf, ListQuery } from "./schemas.ts";

const error = (description: string) => jsonResponse(ErrorSchema, description);

/** `code` when ICU knows it as an ISO 4217 currency; else a 422 naming it. */
export function currencyOf(code: string): string {
  if (!isCurrency(code)) {
    throw new ValidationError(`Unknown currency: "${code}"`, [{
      field: "currency",
      message: "not ISO 4217",
    }]);
  }
  return code;
}

export function productJson(product: Product) {
  const { account_id: _, ...rest } = product;
  return { ...rest, price: fromMinor(product.price, product.currency) };
}

const productExample = {
  product_id: "mug",
  name: "Stoneware Mug",
  description: "A hand-glazed 12 oz mug.",
  headline: "Our best seller",
  price: 24,
  currency: "USD",
  images: [],
  type: "physical",
  active: true,
  date_created: "2026-11-28T09:00:00.000Z",
  date_modified: "2026-11-28T09:00:00.000Z",
};

export const catalog = apiRouter()
  .openapi(
    createRoute({
      ...needs("manage"),
      method: "post",
      path: "/products",
      tags: ["Catalog"],
      summary: "Create a product",
      description: "A product shoppers can put in a cart. `price` is a number in the " +
        "currency's units (24.99 USD), exact to its minor unit; `product_id` defaults to a " +
        "new id. `type` defaults to `physical` (shipping applies), `active` to true.",
      request: {
        body: jsonBody(ProductCreate, {
          product_id: "mug",
          name: "Stoneware Mug",
          price: 24,
          currency: "USD",
        }),
      },
      responses: {
        201: jsonResponse(ProductSchema, "The product", productExample),
        409: error("A product with this id exists"),
        422: error("The input is invalid (a price with too many decimals, an unknown currency)"),
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const currency = currencyOf(input.currency);
      const product = await createProduct(
        c.get("kv"),
        c.get("principal").accountId,
        {
          product_id: input.product_id ?? newId(),
          name: input.name,
          description: input.description ?? null,
          headline: input.headline ?? null,
          price: toMinor(input.price, currency),
          currency,
          images: input.images ?? [],
          type: input.type ?? "physical",
          active: input.active ?? true,
        },
        c.get("config").now(),
        auditBy(c),
      );
      return c.json(productJson(product), 201);
    },
  )
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/products",
      tags: ["Catalog"],
      summary: "List products",
      description: "The account's products in id order, inactive ones included.",
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(listOf(ProductSchema, "ProductList"), "Products", {
          items: [productExample],
          next_cursor: null,
        }),
      },
    }),
    async (c) => {
      const page = await listProducts(
        c.get("kv"),
        c.get("principal").accountId,
        c.req.valid("query"),
      );
      return c.json({ items: page.items.map(productJson), next_cursor: page.next_cursor }, 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/products/{id}",
      tags: ["Catalog"],
      summary: "Read a product",
      description: "The product, inactive or not, with its price in the currency's units. " +
        "Another account's product is 404, as one that does not exist.",
      request: { params: ProductIdParam },
      responses: {
        200: jsonResponse(ProductSchema, "The product", productExample),
        404: error("No such product"),
      },
    }),
    async (c) => {
      const product = await getProduct(
        c.get("kv"),
        c.get("principal").accountId,
        c.req.valid("param").id,
      );
      return c.json(productJson(product), 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("manage"),
      method: "patch",
      path: "/products/{id}",
      tags: ["Catalog"],
      summary: "Change a product",
      description: "Sets the fields given; the others keep their value. Open carts are priced " +
        "from the catalog as it is when they are read or paid.",
      request: { params: ProductIdParam, body: jsonBody(ProductUpdate, { price: 22.5 }) },
      responses: {
        200: jsonResponse(ProductSchema, "The product", productExample),
        404: error("No such product"),
        409: error("The product changed meanwhile"),
        422: error("The input is invalid"),
      },
    }),
    async (c) => {
      const kv = c.get("kv");
      const accountId = c.get("principal").accountId;
      const { id } = c.req.valid("param");
      const input = c.req.valid("json");
      const current = await getProduct(kv, accountId, id);
      const currency = currencyOf(input.currency ?? current.currency);
      const { price, ...rest } = input;
      const change = {
        ...rest,
        currency,
        price: price === undefined
          ? toMinor(fromMinor(current.price, current.currency), currency)
          : toMinor(price, currency),
      };
      const product = await updateProduct(
        kv,
        accountId,
        id,
        change,
        c.get("config").now(),
        auditBy(c),
      );
      return c.json(productJson(product), 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("manage"),
      method: "delete",
      path: "/products/{id}",
      tags: ["Catalog"],
      summary: "Delete a product",
      description: "Open carts holding it can no longer be paid (`unavailable_inventory`); " +
        "orders keep their lines.",
      request: { params: ProductIdParam },
      responses: { 204: { description: "Deleted" }, 404: error("No such product") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await deleteProduct(c.get("kv"), c.get("principal").accountId, id, auditBy(c));
      return c.body(null, 204);
    },
  );
