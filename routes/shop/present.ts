/**
 * Carts, items and products as Comecero's client reads them (COMECERO-API.md §4, §6; payments
 * and orders: present_sale.ts): money as JSON numbers in the currency's units with a `formatted`
 * display string beside each, `url` relative to `/api/v1`, `object` naming the type, a `customer` that is never
 * null, and sub-resources embedded when `expand` (or `options=true`) asks for them.
 */
import type { Cart } from "../../kv/carts.ts";
import type { Product } from "../../kv/catalog.ts";
import type { PricedCart } from "./pricing.ts";
import { has, money, origin, totalsJson, type View } from "./view.ts";

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
export function lineJson(
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
