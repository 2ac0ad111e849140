/** Payments and their orders as Comecero's client reads them (COMECERO-API.md §6.4, §6.6). */
import type { Product } from "../../kv/catalog.ts";
import type { OrderRecord, PaymentRecord } from "../../kv/orders.ts";
import { lineJson } from "./present.ts";
import { money, origin, totalsJson, type View } from "./view.ts";

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
