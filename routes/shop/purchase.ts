/**
 * The records a charged cart becomes: the payment (the card's public face only) and the order,
 * whose lines and totals freeze the catalog's prices as the cart was priced for the charge. Both
 * carry the app, version and mode of the page the shopper paid on.
 */
import type { CardFace } from "../../commerce/cards.ts";
import { newId, nowIso } from "../../kv/ids.ts";
import type { OrderRecord, PaymentRecord } from "../../kv/orders.ts";
import type { ShopContext } from "./env.ts";
import type { PricedCart } from "./pricing.ts";

export function purchaseRecords(
  c: ShopContext,
  priced: PricedCart,
  charge: { paymentId: string; card: CardFace; gateway: string; transactionId: string },
  now: number,
): { payment: PaymentRecord; order: OrderRecord } {
  const { paymentId } = charge;
  const { cart, totals } = priced;
  const token = c.get("token");
  const shopper = c.env.shopper;
  const origin = {
    app_id: shopper?.appId ?? null,
    version: shopper ? shopper.version || null : null,
    mode: token.test ? "test" as const : "live" as const,
  };
  const orderId = newId(now);
  const at = nowIso(now);
  const common = { account_id: cart.account_id, token_id: token.id, cart_id: cart.cart_id };
  const payment: PaymentRecord = {
    ...common,
    ...origin,
    payment_id: paymentId,
    order_id: orderId,
    status: "completed",
    total: totals.total,
    currency: cart.currency,
    payment_method: { type: "credit_card", data: charge.card },
    gateway: charge.gateway,
    transaction_id: charge.transactionId,
    date_created: at,
  };
  const order: OrderRecord = {
    ...common,
    ...origin,
    order_id: orderId,
    payment_id: paymentId,
    currency: cart.currency,
    customer: cart.customer,
    items: priced.lines.map((line) => ({
      item_id: line.product.product_id,
      product_id: line.product.product_id,
      name: line.product.name,
      quantity: line.item.quantity,
      type: line.product.type,
      price: line.product.price,
      subtotal: line.subtotal,
    })),
    shipping_item: priced.shipping
      ? {
        item_id: priced.shipping.method_id,
        name: priced.shipping.name,
        price: priced.shipping.price,
      }
      : null,
    subtotal: totals.subtotal,
    shipping: totals.shipping,
    tax: totals.tax,
    discount: totals.discount,
    total: totals.total,
    date_created: at,
  };
  return { payment, order };
}
