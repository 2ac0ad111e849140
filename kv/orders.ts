/**
 * Payments and orders. A successful charge becomes a payment, its order and the closing of its
 * cart in one atomic commit that checks the cart as read (held `paying` by this payment), so a
 * cart is paid once whatever runs at the same time; the same commit adds the order to its
 * version's `orders` and `revenue` counters and stores the answer for the request's
 * `Idempotency-Key`. Cards are kept as their public face only (commerce/cards.ts).
 */
import { ConflictError, NotFoundError, ValidationError } from "../lib/errors.ts";
import type { CardFace } from "../commerce/cards.ts";
import { type Cart, countIn, type Customer, type Origin } from "./carts.ts";
import { appOrderKey, appOrdersPrefix, orderKey, ordersPrefix, paymentKey } from "./keys.ts";
import { getManyBatched, type Page } from "./page.ts";

export interface PaymentRecord extends Origin {
  payment_id: string;
  account_id: string;
  token_id: string;
  cart_id: string;
  order_id: string;
  status: "completed";
  /** Minor units. */
  total: number;
  currency: string;
  payment_method: { type: "credit_card"; data: CardFace };
  gateway: string;
  transaction_id: string;
  date_created: string;
}

export interface OrderItem {
  item_id: string;
  product_id: string;
  name: string;
  quantity: number;
  type: string;
  /** Minor units, as the catalog priced them when the order was made. */
  price: number;
  subtotal: number;
}

export interface OrderRecord extends Origin {
  order_id: string;
  account_id: string;
  token_id: string;
  cart_id: string;
  payment_id: string;
  currency: string;
  customer: Customer;
  items: OrderItem[];
  shipping_item: { item_id: string; name: string; price: number } | null;
  subtotal: number;
  shipping: number;
  tax: number;
  discount: number;
  total: number;
  date_created: string;
}

export interface Purchase {
  /** The cart as read when it was held for this payment. */
  cart: Deno.KvEntry<Cart>;
  payment: PaymentRecord;
  order: OrderRecord;
  /** Whether the order's total counts as `revenue` (it is in the account's default currency). */
  countRevenue: boolean;
  /** More to write in the same commit (the idempotency result). */
  also?: (op: Deno.AtomicOperation) => void;
}

/** Records a charged purchase; 409 when the cart changed since it was held. */
export async function recordPurchase(kv: Deno.Kv, purchase: Purchase, now: number) {
  const { cart, payment, order } = purchase;
  const closed: Cart = {
    ...cart.value,
    status: "closed",
    locked_at: null,
    payment_id: payment.payment_id,
    date_modified: payment.date_created,
  };
  const op = kv.atomic().check(cart)
    .check({ key: paymentKey(payment.account_id, payment.payment_id), versionstamp: null })
    .check({ key: orderKey(order.account_id, order.order_id), versionstamp: null })
    .set(cart.key, closed)
    .set(paymentKey(payment.account_id, payment.payment_id), payment)
    .set(orderKey(order.account_id, order.order_id), order);
  if (order.app_id) {
    op.set(appOrderKey(order.app_id, order.order_id), { version: order.version, mode: order.mode });
  }
  countIn(op, order, "orders", 1, now);
  if (purchase.countRevenue) countIn(op, order, "revenue", order.total, now);
  purchase.also?.(op);
  const result = await op.commit();
  if (!result.ok) throw new ConflictError("The cart changed while it was paid", "cart_changed");
}

export async function getPayment(
  kv: Deno.Kv,
  accountId: string,
  paymentId: string,
): Promise<PaymentRecord> {
  const payment = (await kv.get<PaymentRecord>(paymentKey(accountId, paymentId.slice(0, 64))))
    .value;
  if (!payment) throw new NotFoundError(`No such payment: "${paymentId}"`, "resource_not_found");
  return payment;
}

export async function getOrder(
  kv: Deno.Kv,
  accountId: string,
  orderId: string,
): Promise<OrderRecord> {
  const order = (await kv.get<OrderRecord>(orderKey(accountId, orderId.slice(0, 64)))).value;
  if (!order) throw new NotFoundError(`No such order: "${orderId}"`, "resource_not_found");
  return order;
}

export interface OrderFilter {
  appId?: string;
  version?: number;
  mode?: "live" | "test";
  limit?: number;
  cursor?: string | null;
}

/** Entries looked at for one page at most: a filter matching little still answers promptly. */
const SCAN_LIMIT = 1000;

/**
 * The account's orders, newest first, optionally of one app, version and mode. A page holds
 * up to `limit` matches among at most 1,000 orders looked at; `next_cursor` goes on from there.
 */
export async function listOrders(
  kv: Deno.Kv,
  accountId: string,
  filter: OrderFilter,
): Promise<Page<OrderRecord>> {
  const limit = Math.min(filter.limit ?? 50, 100);
  const byApp = filter.appId !== undefined;
  const iter = kv.list<OrderRecord | Origin>(
    { prefix: byApp ? appOrdersPrefix(filter.appId!) : ordersPrefix(accountId) },
    { reverse: true, cursor: filter.cursor || undefined, limit: SCAN_LIMIT },
  );
  const ids: string[] = [];
  let scanned = 0;
  let cursor: string | null = null;
  try {
    for await (const entry of iter) {
      scanned++;
      const value = entry.value;
      const matches = (filter.version === undefined || value.version === filter.version) &&
        (filter.mode === undefined || value.mode === filter.mode);
      if (matches) ids.push(entry.key[2] as string);
      if (ids.length === limit) {
        cursor = iter.cursor;
        break;
      }
    }
  } catch (error) {
    // KV refuses a cursor it did not make (or one of another listing) with a TypeError.
    if (filter.cursor) throw new ValidationError(`Invalid cursor: "${filter.cursor}"`);
    throw error;
  }
  if (ids.length < limit && scanned === SCAN_LIMIT) cursor = iter.cursor;
  const entries = await getManyBatched<OrderRecord>(kv, ids.map((id) => orderKey(accountId, id)));
  const items = entries.flatMap((entry) => entry.value ? [entry.value] : []);
  return { items, next_cursor: cursor };
}
