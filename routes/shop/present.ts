/**
 * Carts, items, payments, orders and products as Comecero's client reads them (COMECERO-API.md
 * §4, §6): money as JSON numbers in the currency's units with a `formatted` display string
 * beside each, `url` relative to `/api/v1`, `object` naming the type, a `customer` that is never
 * null, and sub-resources embedded when `expand` (or `options=true`) asks for them.
 */
import { formatMoney, fromMinor } from "../../commerce/money.ts";
import type { Cart, Origin } from "../../kv/carts.ts";
import type { Product } from "../../kv/catalog.ts";
import type { OrderRecord, PaymentRecord } from "../../kv/orders.ts";
import type { PricedCart } from "./pricing.ts";

/** What a request asks of its answer: embedded paths, and the locale of display strings. */
export interface View {
  /** Dotted paths, each with its parents (`cart.options` brings `cart`). */
  expand: Set<string>;
  locale: string;
}

const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

/**
 * The view of a request's query: `expand` split on commas with empty entries ignored (the
 * client sends a trailing comma), each path's parents added; `options=true` is `expand=options`.
 */
export function viewOf(query: (name: string) => string | undefined): View {
  const expand = new Set<string>();
  for (const entry of (query("expand") ?? "").split(",").slice(0, 50)) {
    const path = entry.trim();
    if (!path || path.length > 100) continue;
    const parts = path.split(".");
    for (let i = 1; i <= parts.length; i++) expand.add(parts.slice(0, i).join("."));
  }
  if (query("options") === "true") expand.add("options");
  const locale = query("user_locale") ?? "";
  return { expand, locale: LOCALE.test(locale) ? locale : "en-US" };
}

/** Whether `path` is expanded; `prefix` places a nested object (`cart.` inside a payment). */
function has(view: View, prefix: string, path: string): boolean {
  return view.expand.has(prefix + path);
}

function money(minor: number, currency: string, view: View) {
  return { value: fromMinor(minor, currency), text: formatMoney(minor, currency, view.locale) };
}

function origin(record: Origin) {
  return {
    app_id: record.app_id,
    version: record.version,
    mode: record.mode,
    test: record.mode === "test",
  };
}

export function productJson(product: Product, view: View) {
  const price = money(product.price, product.currency, view);
  return {
    object: "product",
    product_id: product.product_id,
    url: `/products/${encodeURIComponent(product.product_id)}`,
    name: product.name,
    headline: product.headline,
    description: product.description,
    price: price.value,
    currency: product.currency,
    type: product.type,
    images: product.images,
    active: product.active,
    has_file: false,
    has_license_service: false,
    compare_at_price: null,
    formatted: { price: price.text },
  };
}

/** A line of a cart or an order (`item_id` = `product_id`, as the client assumes). */
function lineJson(
  line: { product_id: string; name: string; quantity: number; price: number; type: string },
  currency: string,
  view: View,
  extra: { url?: string; product?: Product | null; prefix: string },
) {
  const price = money(line.price, currency, view);
  const subtotal = money(line.price * line.quantity, currency, view);
  const item: Record<string, unknown> = {
    item_id: line.product_id,
    product_id: line.product_id,
    name: line.name,
    quantity: line.quantity,
    currency,
    type: line.type,
    price: price.value,
    price_original: price.value,
    subtotal: subtotal.value,
    total: subtotal.value,
    subscription_plan: null,
    formatted: {
      price: price.text,
      price_original: price.text,
      subtotal: subtotal.text,
      total: subtotal.text,
      subtotal_original: subtotal.text,
      total_original: subtotal.text,
    },
  };
  if (extra.url) item.url = extra.url;
  if (has(view, extra.prefix, "items.product") && extra.product) {
    item.product = productJson(extra.product, view);
  }
  return item;
}

export function cartItemJson(priced: PricedCart, productId: string, view: View) {
  const line = priced.lines.find((l) => l.item.product_id === productId);
  if (!line) return null;
  const { cart } = priced;
  return lineJson(
    { ...line.item, name: line.product.name, price: line.product.price, type: line.product.type },
    cart.currency,
    view,
    { url: itemUrl(cart, productId), product: line.product, prefix: "" },
  );
}

const cartUrl = (cart: Cart) => `/carts/${cart.cart_id}`;
const itemUrl = (cart: Cart, productId: string) =>
  `${cartUrl(cart)}/items/${encodeURIComponent(productId)}`;

function shippingItemJson(priced: PricedCart, view: View) {
  const method = priced.shipping;
  if (!method) return null;
  const price = money(method.price, method.currency, view);
  return {
    item_id: method.method_id,
    name: method.name,
    price: price.value,
    price_original: price.value,
    formatted: {
      subtotal: price.text,
      total: price.text,
      subtotal_original: price.text,
      total_original: price.text,
    },
  };
}

function optionsJson(priced: PricedCart, view: View) {
  const { options } = priced;
  return {
    customer_required_fields: options.customer_required_fields,
    customer_optional_fields: options.customer_optional_fields,
    allowed_customer_countries: options.allowed_customer_countries,
    card_types: options.card_types,
    payment_methods: [],
    shipping_quotes: priced.quotes.map((quote) => {
      const price = money(quote.price, quote.currency, view);
      return {
        method_id: quote.method_id,
        description: quote.name,
        details: null,
        price: price.value,
        price_original: price.value,
        formatted: {
          price: price.text,
          price_original: price.text,
          total: price.text,
          total_original: price.text,
        },
      };
    }),
  };
}

/** The totals of a cart or an order, as numbers and display strings. */
function totalsJson(
  t: { subtotal: number; shipping: number; tax: number; discount: number; total: number },
  currency: string,
  view: View,
) {
  const out: Record<string, unknown> = {};
  const formatted: Record<string, string> = {};
  for (const name of ["subtotal", "shipping", "tax", "discount", "total"] as const) {
    const amount = money(t[name], currency, view);
    out[name] = amount.value;
    formatted[name] = amount.text;
  }
  return { out, formatted };
}

export function cartJson(priced: PricedCart, view: View, prefix = ""): Record<string, unknown> {
  const { cart, totals } = priced;
  const sums = totalsJson(totals, cart.currency, view);
  const zero = money(0, cart.currency, view);
  const json: Record<string, unknown> = {
    object: "cart",
    cart_id: cart.cart_id,
    url: cartUrl(cart),
    account_id: cart.account_id,
    status: cart.status === "closed" ? "closed" : "open",
    currency: cart.currency,
    customer_ip_country: cart.customer_ip_country,
    items: priced.lines.map((line) =>
      lineJson(
        {
          ...line.item,
          name: line.product.name,
          price: line.product.price,
          type: line.product.type,
        },
        cart.currency,
        view,
        { url: itemUrl(cart, line.item.product_id), product: line.product, prefix },
      )
    ),
    ...sums.out,
    tax_inclusive: false,
    shipping_item: shippingItemJson(priced, view),
    shipping_method_id: priced.shipping?.method_id ?? null,
    promotion_code: null,
    customer: { customer_id: null, ...cart.customer, payment_methods: { data: [] } },
    meta: cart.meta,
    referrer: cart.referrer,
    total_payments: 0,
    total_remaining: cart.status === "closed" ? 0 : sums.out.total,
    payment_id: cart.payment_id,
    ...origin(cart),
    date_created: cart.date_created,
    date_modified: cart.date_modified,
    formatted: {
      ...sums.formatted,
      total_payments: zero.text,
      total_remaining: money(cart.status === "closed" ? 0 : totals.total, cart.currency, view)
        .text,
    },
  };
  if (has(view, prefix, "options")) json.options = optionsJson(priced, view);
  return json;
}

export function orderJson(
  order: OrderRecord,
  products: Map<string, Product>,
  view: View,
  prefix = "order.",
) {
  const sums = totalsJson(order, order.currency, view);
  const shipping = order.shipping_item;
  const shipPrice = shipping ? money(shipping.price, order.currency, view) : null;
  return {
    object: "order",
    order_id: order.order_id,
    url: `/orders/${order.order_id}`,
    payment_id: order.payment_id,
    cart_id: order.cart_id,
    currency: order.currency,
    customer: { customer_id: null, ...order.customer },
    items: order.items.map((item) =>
      lineJson(item, order.currency, view, {
        product: products.get(item.product_id) ?? null,
        prefix,
      })
    ),
    shipping_item: shipping && shipPrice
      ? {
        ...shipping,
        price: shipPrice.value,
        price_original: shipPrice.value,
        formatted: { subtotal: shipPrice.text, total: shipPrice.text },
      }
      : null,
    ...sums.out,
    tax_inclusive: false,
    ...origin(order),
    date_created: order.date_created,
    formatted: sums.formatted,
  };
}

export function paymentJson(
  payment: PaymentRecord,
  parts: { order: Record<string, unknown>; cart: Record<string, unknown> | null },
  view: View,
) {
  const total = money(payment.total, payment.currency, view);
  return {
    object: "payment",
    payment_id: payment.payment_id,
    url: `/payments/${payment.payment_id}`,
    status: payment.status,
    total: total.value,
    currency: payment.currency,
    payment_method: {
      type: payment.payment_method.type,
      data: payment.payment_method.data,
      formatted: { type: "Credit Card" },
    },
    response_data: {},
    order: parts.order,
    cart: parts.cart ?? { cart_id: payment.cart_id, url: `/carts/${payment.cart_id}` },
    invoice: null,
    ...origin(payment),
    date_created: payment.date_created,
    formatted: { total: total.text },
  };
}
