/**
 * Schemas of the merchant's commerce operations: the catalog, the shopping options and the
 * orders. Money is a JSON number in the currency's units (24.99), checked against the
 * currency's minor unit and kept in minor units (commerce/money.ts).
 */
import { z } from "@hono/zod-openapi";
import { PRODUCT_TYPES } from "../../kv/catalog.ts";

export const ProductIdParam = z.object({
  id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, example: "mug" }),
});

const Currency = z.string().regex(/^[A-Z]{3}$/, "An ISO 4217 code like USD").openapi({
  example: "USD",
});
const Amount = z.number().min(0).max(1e11).openapi({ example: 24.99 });
/**
 * A product is one KV value (at most 64 KiB), so its parts are bounded to fit together: V8 keeps
 * a string with any non-Latin-1 character at two bytes a character, which makes a description of
 * 20,000 characters up to 40 KB; links are ASCII (an URL is, once percent-encoded), 600 at most,
 * ten images of three links each up to 18 KB; name and headline up to 1.4 KB.
 */
const MAX_LINK = 600;
const MAX_IMAGES = 10;
const Link = z.string().max(MAX_LINK).regex(
  /^(https:\/\/|\/)[\x21-\x7e]*$/,
  "An https URL or a path, ASCII only (percent-encode the rest)",
);

export const ProductImage = z.object({
  link_small: Link,
  link_square: Link,
  link_medium: Link,
});

const ProductFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).nullable().optional(),
  headline: z.string().max(500).nullable().optional(),
  price: Amount,
  currency: Currency,
  images: z.array(ProductImage).max(MAX_IMAGES).optional(),
  type: z.enum(PRODUCT_TYPES).optional(),
  active: z.boolean().optional(),
};

export const ProductCreate = z.object({
  product_id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1–64 letters, digits, _ and -")
    .optional().openapi({ example: "mug" }),
  ...ProductFields,
}).openapi("ProductCreate");

export const ProductUpdate = z.object(ProductFields).partial().openapi("ProductUpdate");

export const ProductSchema = z.object({
  product_id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  headline: z.string().nullable(),
  price: z.number(),
  currency: z.string(),
  images: z.array(ProductImage),
  type: z.enum(PRODUCT_TYPES),
  active: z.boolean(),
  date_created: z.string(),
  date_modified: z.string(),
}).openapi("Product");

const Country = z.string().regex(/^[A-Z]{2}$/, "An ISO 3166 country code like US");

export const ShippingMethodSchema = z.object({
  method_id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().trim().min(1).max(200),
  price: Amount,
  currency: Currency,
});

export const ShoppingOptionsSchema = z.object({
  customer_required_fields: z.array(z.string().max(64)).max(30),
  customer_optional_fields: z.array(z.string().max(64)).max(30),
  allowed_customer_countries: z.array(Country).max(300),
  card_types: z.array(z.string().max(40)).max(20),
  shipping_methods: z.array(ShippingMethodSchema).max(50),
  tax_rates: z.array(z.object({
    country: Country,
    rate: z.number().min(0).max(100).openapi({ example: 8.25 }),
  })).max(300),
}).openapi("ShoppingOptions");

export const ShoppingOptionsPut = ShoppingOptionsSchema.partial().openapi("ShoppingOptionsPut");

export const OrderQuery = z.object({
  app: z.string().max(40).optional().openapi({ example: "shop" }),
  version: z.coerce.number().int().min(1).optional(),
  mode: z.enum(["live", "test"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(500).optional(),
});

const Money = z.number();

export const OrderSchema = z.object({
  order_id: z.string(),
  payment_id: z.string(),
  cart_id: z.string(),
  app: z.string().nullable(),
  app_id: z.string().nullable(),
  version: z.number().int().nullable(),
  mode: z.enum(["live", "test"]),
  currency: z.string(),
  customer: z.record(z.string(), z.unknown()),
  items: z.array(z.object({
    product_id: z.string(),
    name: z.string(),
    quantity: z.number().int(),
    price: Money,
    subtotal: Money,
  })),
  shipping_item: z.object({ item_id: z.string(), name: z.string(), price: Money }).nullable(),
  subtotal: Money,
  shipping: Money,
  tax: Money,
  total: Money,
  date_created: z.string(),
}).openapi("Order");
