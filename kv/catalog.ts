/**
 * The catalog of an account: products, and the shopping options every cart of the account
 * offers (customer fields, countries, card brands, flat-rate shipping, tax by country). Prices
 * are kept in integer minor units (commerce/money.ts); the APIs convert at their edges.
 */
import { ConflictError, NotFoundError } from "../lib/errors.ts";
import { nowIso } from "./ids.ts";
import { type AuditBy, audited } from "./audit.ts";
import { getManyBatched, listPage, type Page } from "./page.ts";
import { productKey, productsPrefix, shoppingOptionsKey } from "./keys.ts";

export const PRODUCT_TYPES = ["physical", "digital", "service"] as const;
export type ProductType = typeof PRODUCT_TYPES[number];

export interface ProductImage {
  link_small: string;
  link_square: string;
  link_medium: string;
}

export interface Product {
  product_id: string;
  account_id: string;
  name: string;
  description: string | null;
  headline: string | null;
  /** Minor units of `currency`. */
  price: number;
  currency: string;
  images: ProductImage[];
  type: ProductType;
  active: boolean;
  date_created: string;
  date_modified: string;
}

export type ProductInput = Omit<Product, "account_id" | "date_created" | "date_modified">;

export interface ShippingMethod {
  method_id: string;
  name: string;
  /** Minor units of `currency`. */
  price: number;
  currency: string;
}

export interface ShoppingOptions {
  customer_required_fields: string[];
  customer_optional_fields: string[];
  allowed_customer_countries: string[];
  card_types: string[];
  shipping_methods: ShippingMethod[];
  tax_rates: { country: string; rate: number }[];
}

/**
 * What an account offers before its merchant says otherwise: the fields a card payment needs,
 * the countries Comecero's cart would otherwise leave empty, the common card brands.
 */
export const DEFAULT_OPTIONS: ShoppingOptions = {
  customer_required_fields: ["name", "email", "billing_address.country"],
  customer_optional_fields: ["billing_address.postal_code"],
  allowed_customer_countries: [
    "US",
    "CA",
    "GB",
    "IE",
    "FR",
    "DE",
    "NL",
    "BE",
    "ES",
    "IT",
    "PT",
    "AT",
    "CH",
    "SE",
    "NO",
    "DK",
    "FI",
    "PL",
    "CZ",
    "AU",
    "NZ",
    "JP",
    "SG",
  ],
  card_types: ["Visa", "Mastercard", "American Express", "Discover"],
  shipping_methods: [],
  tax_rates: [],
};

/** What an audit entry says of a product: enough to see a price changed, and what to. */
function productSummary(product: Product) {
  return {
    name: product.name,
    price_minor: product.price,
    currency: product.currency,
    active: product.active,
  };
}

/**
 * Catalog changes set what shoppers pay, so each is audited in its own commit (`by`: who makes
 * it; absent for the platform's own seeding, like the demo's).
 */
export async function createProduct(
  kv: Deno.Kv,
  accountId: string,
  input: ProductInput,
  now = Date.now(),
  by?: AuditBy,
): Promise<Product> {
  const at = nowIso(now);
  const product: Product = { ...input, account_id: accountId, date_created: at, date_modified: at };
  const key = productKey(accountId, product.product_id);
  const op = kv.atomic().check({ key, versionstamp: null }).set(key, product);
  const result = await audited(op, by, "product.create", {
    target: { type: "product", id: product.product_id },
    summary: productSummary(product),
  }).commit();
  if (!result.ok) {
    throw new ConflictError(
      `A product with this id exists: "${product.product_id}"`,
      "product_exists",
    );
  }
  return product;
}

export async function getProduct(
  kv: Deno.Kv,
  accountId: string,
  productId: string,
): Promise<Product> {
  const product = (await kv.get<Product>(productKey(accountId, productId))).value;
  if (!product) throw new NotFoundError(`No such product: "${productId}"`);
  return product;
}

/** The products of `ids` that exist, by id (one read per ten ids). */
export async function productsById(
  kv: Deno.Kv,
  accountId: string,
  ids: string[],
): Promise<Map<string, Product>> {
  const unique = [...new Set(ids)];
  const entries = await getManyBatched<Product>(kv, unique.map((id) => productKey(accountId, id)));
  const found = new Map<string, Product>();
  for (const entry of entries) if (entry.value) found.set(entry.value.product_id, entry.value);
  return found;
}

/** Applies `change` to a product; a concurrent change makes this one fail with 409. */
export async function updateProduct(
  kv: Deno.Kv,
  accountId: string,
  productId: string,
  change: Partial<Omit<ProductInput, "product_id">>,
  now = Date.now(),
  by?: AuditBy,
): Promise<Product> {
  const key = productKey(accountId, productId);
  const entry = await kv.get<Product>(key);
  if (!entry.value) throw new NotFoundError(`No such product: "${productId}"`);
  const product = { ...entry.value, ...change, date_modified: nowIso(now) };
  const op = kv.atomic().check(entry).set(key, product);
  const result = await audited(op, by, "product.update", {
    target: { type: "product", id: productId },
    summary: { ...productSummary(product), price_minor_before: entry.value.price },
  }).commit();
  if (!result.ok) throw new ConflictError(`The product changed meanwhile: "${productId}"`);
  return product;
}

export async function deleteProduct(
  kv: Deno.Kv,
  accountId: string,
  productId: string,
  by?: AuditBy,
) {
  const key = productKey(accountId, productId);
  const entry = await kv.get<Product>(key);
  if (!entry.value) throw new NotFoundError(`No such product: "${productId}"`);
  const op = kv.atomic().check(entry).delete(key);
  const result = await audited(op, by, "product.delete", {
    target: { type: "product", id: productId },
    summary: productSummary(entry.value),
  }).commit();
  if (!result.ok) throw new ConflictError(`The product changed meanwhile: "${productId}"`);
}

/** The account's products in id order, inactive ones included (the merchant's list). */
export function listProducts(
  kv: Deno.Kv,
  accountId: string,
  options: { limit?: number; cursor?: string | null } = {},
): Promise<Page<Product>> {
  return listPage<Product>(kv, productsPrefix(accountId), { ...options, oldestFirst: true });
}

/** Products a shopper's list pages through at most (a catalog larger than this is cut). */
const SHOP_CATALOG_MAX = 1000;

/** The account's active products in id order, up to `SHOP_CATALOG_MAX`, for shoppers' lists. */
export async function activeProducts(kv: Deno.Kv, accountId: string): Promise<Product[]> {
  const products: Product[] = [];
  const iter = kv.list<Product>({ prefix: productsPrefix(accountId) }, {
    limit: SHOP_CATALOG_MAX,
    consistency: "eventual",
  });
  for await (const entry of iter) if (entry.value.active) products.push(entry.value);
  return products;
}

export async function getShoppingOptions(kv: Deno.Kv, accountId: string): Promise<ShoppingOptions> {
  const stored = (await kv.get<ShoppingOptions>(shoppingOptionsKey(accountId))).value;
  return { ...DEFAULT_OPTIONS, ...stored };
}

/**
 * What an audit entry says of changed options: the fields, and the new tax rates and shipping
 * prices (minor units) written out (cut at 200 characters by the log), the two that change what is paid.
 */
function optionsSummary(change: Partial<ShoppingOptions>) {
  const summary: Record<string, string> = {
    fields: Object.keys(change).filter((name) => name in DEFAULT_OPTIONS).sort().join(","),
  };
  if (change.tax_rates) {
    summary.tax_rates = change.tax_rates.map((r) => `${r.country} ${r.rate}%`).join(", ");
  }
  if (change.shipping_methods) {
    summary.shipping_methods_minor = change.shipping_methods
      .map((m) => `${m.method_id} ${m.currency} ${m.price}`).join(", ");
  }
  return summary;
}

/** Replaces the fields of the options given; the others keep their value (audited as `by`). */
export async function setShoppingOptions(
  kv: Deno.Kv,
  accountId: string,
  change: Partial<ShoppingOptions>,
  by?: AuditBy,
): Promise<ShoppingOptions> {
  const key = shoppingOptionsKey(accountId);
  const entry = await kv.get<ShoppingOptions>(key);
  const options = { ...DEFAULT_OPTIONS, ...entry.value, ...change };
  const op = kv.atomic().check(entry).set(key, options);
  const result = await audited(op, by, "shopping_options.update", {
    target: { type: "shopping_options", id: accountId },
    summary: optionsSummary(change),
  }).commit();
  if (!result.ok) throw new ConflictError("The shopping options changed meanwhile; try again");
  return options;
}
