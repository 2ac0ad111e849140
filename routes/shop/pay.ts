/**
 * Paying a cart with a card (COMECERO-API.md §5.6): the card is checked (commerce/cards.ts), the
 * cart held `paying` so no second payment can charge it, the gateway charges it, and the
 * payment, its order and the closed cart are written in one commit (kv/orders.ts). A decline is
 * a 402 with Stripe's code, and the cart opens again for another card. `Idempotency-Key` makes a
 * retry return the first answer (idempotency.ts); the number and CVC go to the gateway only.
 */
import { type CardInput, checkCard } from "../../commerce/cards.ts";
import type { ChargeRequest, PaymentGateway } from "../../commerce/gateway.ts";
import { getAccount } from "../../kv/accounts.ts";
import { defaultCurrency } from "../../kv/currencies.ts";
import { type Cart, getCart, saveCart } from "../../kv/carts.ts";
import { newId } from "../../kv/ids.ts";
import {
  claimKey,
  type IdempotencyScope,
  releaseKey,
  type StoredResult,
  storeResult,
  storeResultIn,
} from "../../kv/idempotency.ts";
import {
  type OrderRecord,
  type PaymentRecord,
  type Purchase,
  recordPurchase,
} from "../../kv/orders.ts";
import { base64url } from "../../lib/crypto.ts";
import {
  BadRequestError,
  ConflictError,
  DomainError,
  PaymentFailedError,
  ValidationError,
} from "../../lib/errors.ts";
import { assertOpen } from "./carts.ts";
import { bodyText, type ShopContext, viewFor } from "./env.ts";
import { invalidInput, shopErrorResponse } from "./errors.ts";
import { cartJson } from "./present.ts";
import { orderJson, paymentJson } from "./present_sale.ts";
import { priceCart, type PricedCart } from "./pricing.ts";
import { PaymentInput } from "./schemas.ts";
import { checkCustomer } from "./required_fields.ts";
import { purchaseRecords } from "./purchase.ts";

/** A `paying` hold older than this belonged to a request that died; the cart opens again. */
const HOLD_MS = 60_000;

/** An HMAC of the request (it holds a card number, so never a plain hash of it). */
async function fingerprintOf(secret: string, path: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`idempotency:${secret}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${path}\n${body}`));
  return base64url(new Uint8Array(mac));
}

/** A retry's answer: the first one's, marked as Stripe marks it. */
function replay(stored: StoredResult): Response {
  return Response.json(stored.body, {
    status: stored.status,
    headers: { "idempotent-replayed": "true", "cache-control": "no-store" },
  });
}

/** `POST /carts/{id}/payments`. */
export async function payHandler(c: ShopContext): Promise<Response> {
  const config = c.get("config");
  const raw = await bodyText(c);
  const header = c.req.header("idempotency-key");
  if (header === undefined) return await pay(c, raw, null);
  if (!/^[\x21-\x7e]{1,255}$/.test(header)) {
    throw new BadRequestError("Idempotency-Key must be 1–255 visible ASCII characters");
  }
  const token = c.get("token");
  const scope = { accountId: token.account_id, tokenId: token.id, key: header };
  const fingerprint = await fingerprintOf(config.secret!, c.req.path, raw);
  const claimed = await claimKey(c.get("kv"), scope, fingerprint, config.now);
  if (claimed.result) return replay(claimed.result);
  try {
    return await pay(c, raw, { scope, fingerprint });
  } catch (error) {
    // A refused card is a result, kept for retries as Stripe keeps it; anything else (a
    // validation, a lost race) leaves the key free for a corrected request.
    if (error instanceof PaymentFailedError) {
      const response = shopErrorResponse(error, c.req.raw);
      const result = { status: response.status, body: await response.json() };
      await storeResult(c.get("kv"), scope, fingerprint, result, config.now());
      return storedAnswer(result);
    }
    await releaseKey(c.get("kv"), scope, claimed.claim);
    throw error;
  }
}

/** The first answer to a key, as it was given (a replay adds `Idempotent-Replayed`). */
function storedAnswer(result: StoredResult): Response {
  return Response.json(result.body, {
    status: result.status,
    headers: { "cache-control": "no-store" },
  });
}

interface Claimed {
  scope: IdempotencyScope;
  fingerprint: string;
}

async function pay(c: ShopContext, raw: string, claimed: Claimed | null): Promise<Response> {
  const kv = c.get("kv");
  const token = c.get("token");
  const now = c.get("config").now();
  const entry = await getCart(kv, token.account_id, c.req.param("id")!, token.id);
  const cart = entry.value;
  // A hold older than HOLD_MS belonged to a request that died: this payment takes it over.
  if (!(cart.status === "paying" && cart.locked_at !== null && now - cart.locked_at > HOLD_MS)) {
    assertOpen(cart);
  }
  const priced = await priceCart(kv, cart);
  checkPayable(priced);
  const card = checkCard(cardOf(raw), now);
  const held = await hold(kv, entry, now);
  const paymentId = newId(now);
  const gateway = c.get("gateway");
  const transaction = await charge(kv, gateway, held, {
    amount: priced.totals.total,
    currency: cart.currency,
    card,
    reference: paymentId,
  });
  const { payment, order } = purchaseRecords(c, priced, {
    paymentId,
    card: card.face,
    gateway: gateway.name,
    transactionId: transaction.transaction_id,
  }, now);
  const body = answerOf(c, priced, payment, order);
  const stored = claimed
    ? (op: Deno.AtomicOperation) =>
      storeResultIn(op, claimed.scope, claimed.fingerprint, { status: 201, body }, now)
    : undefined;
  await record(kv, gateway, { cart: held, payment, order, also: stored }, now);
  return c.json(body, 201);
}

/**
 * Records a charged purchase (kv/orders.ts), its revenue counted when it is in the account's
 * default currency. No order without its payment, and no charge without its order: a commit
 * that fails gives the charge back.
 */
async function record(
  kv: Deno.Kv,
  gateway: PaymentGateway,
  purchase: Omit<Purchase, "countRevenue">,
  now: number,
) {
  const { cart, payment } = purchase;
  const account = await getAccount(kv, cart.value.account_id);
  const countRevenue = payment.currency === defaultCurrency(account);
  try {
    await recordPurchase(kv, { ...purchase, countRevenue }, now);
  } catch (error) {
    await gateway.refund(payment.transaction_id);
    throw error;
  }
}

/** The card of a payment body; anything but a new card is refused. */
function cardOf(raw: string): CardInput {
  const input = PaymentInput.safeParse(raw.trim() ? JSON.parse(raw) : {});
  if (!input.success) throw invalidInput(input.error, "payment");
  const data = input.data.payment_method.data;
  if (!data || (input.data.payment_method.type ?? "credit_card") !== "credit_card") {
    throw new ValidationError(
      'Only new cards are taken: send payment_method {type: "credit_card", data: {number, ' +
        "exp_month, exp_year, cvv}}",
      undefined,
      "invalid_payment_method",
    );
  }
  return data;
}

/** Charges the held cart; a refusal opens the cart again for another card. */
async function charge(
  kv: Deno.Kv,
  gateway: PaymentGateway,
  held: Deno.KvEntry<Cart>,
  request: ChargeRequest,
) {
  try {
    return await gateway.charge(request);
  } catch (error) {
    await saveCart(kv, held, { ...held.value, status: "open", locked_at: null });
    throw error;
  }
}

/** The payment as answered: its order, and its cart when `expand` asks. */
function answerOf(c: ShopContext, priced: PricedCart, payment: PaymentRecord, order: OrderRecord) {
  const view = viewFor(c);
  const products = new Map(priced.lines.map((line) => [line.product.product_id, line.product]));
  const cart = { ...priced.cart, status: "closed" as const, payment_id: payment.payment_id };
  return paymentJson(payment, {
    order: orderJson(order, products, view),
    cart: view.expand.has("cart") ? cartJson({ ...priced, cart }, view, "cart.") : null,
  }, view);
}

/** Refuses a cart that cannot be paid as it is: empty, an item no longer sold, fields missing. */
function checkPayable(priced: PricedCart): void {
  const gone = priced.unavailable[0];
  if (gone) {
    throw new ValidationError(
      `This product is not available: "${gone.product_id}"`,
      { product_id: gone.product_id },
      "unavailable_inventory",
    );
  }
  if (priced.lines.length === 0) {
    throw new ValidationError("The cart is empty", undefined, "empty_cart");
  }
  checkCustomer(priced.cart.customer, priced.options);
}

/** Holds the cart for this payment; a payment already under way is a 409. */
async function hold(kv: Deno.Kv, entry: Deno.KvEntry<Cart>, now: number) {
  try {
    return await saveCart(kv, entry, { ...entry.value, status: "paying", locked_at: now });
  } catch (error) {
    if (error instanceof DomainError && error.code === "cart_changed") {
      throw new ConflictError("A payment of this cart is already under way", "payment_in_progress");
    }
    throw error;
  }
}
