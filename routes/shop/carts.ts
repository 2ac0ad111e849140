/**
 * Carts on the shopper API (COMECERO-API.md §5.2–5.5): create, read, update with the echoed
 * cart, add and change items. Every answer is priced from the catalog (pricing.ts); a closed
 * (paid) cart refuses changes with `invalid_state`, which sends Comecero's client back to the
 * shop with a fresh cart.
 */
import { Hono } from "hono";
import { type Cart, createCart, getCart, saveCart } from "../../kv/carts.ts";
import { getAccount } from "../../kv/accounts.ts";
import { defaultCurrency } from "../../kv/currencies.ts";
import { newId, nowIso } from "../../kv/ids.ts";
import { NotFoundError, ValidationError } from "../../lib/errors.ts";
import { applyInput, checkItems, EMPTY_CUSTOMER } from "./cart_update.ts";
import { bodyOf, type ShopContext, type ShopEnv, viewFor } from "./env.ts";
import { cartItemJson, cartJson } from "./present.ts";
import { priceCart } from "./pricing.ts";
import { CartInput, ItemInput, MAX_LINES, MAX_QUANTITY, Quantity } from "./schemas.ts";
import { z } from "zod";

/** Refuses a change to a cart that is paid (or being paid). */
export function assertOpen(cart: Cart): void {
  if (cart.status !== "open") {
    throw new ValidationError(
      `This cart is ${
        cart.status === "closed" ? "paid and closed" : "being paid"
      }: "${cart.cart_id}"`,
      { cart_id: cart.cart_id },
      "invalid_state",
    );
  }
}

async function answerCart(c: ShopContext, cart: Cart, status: 200 | 201 = 200) {
  return c.json(cartJson(await priceCart(c.get("kv"), cart), viewFor(c)), status);
}

async function createHandler(c: ShopContext) {
  const kv = c.get("kv");
  const token = c.get("token");
  const now = c.get("config").now();
  const shopper = c.env.shopper;
  const at = nowIso(now);
  const blank: Cart = {
    cart_id: newId(now),
    account_id: token.account_id,
    token_id: token.id,
    app_id: shopper?.appId ?? null,
    version: shopper ? shopper.version || null : null,
    mode: token.test ? "test" : "live",
    status: "open",
    locked_at: null,
    currency: "",
    items: [],
    customer: EMPTY_CUSTOMER,
    shipping_method_id: null,
    meta: null,
    referrer: null,
    // Only the trusted proxy's word (edge/forwarded.ts proxyCountry), never a client's header;
    // it prefills the client's country field, and tax never reads it (pricing.ts).
    customer_ip_country: c.env.origin.country,
    payment_id: null,
    date_created: at,
    date_modified: at,
  };
  await c.get("limits").take(kv, "cart", c.env.origin.client, now);
  const cart = applyInput(blank, await bodyOf(c, CartInput, "cart"), at);
  const currency = await checkItems(kv, cart.account_id, cart.items, cart.currency || null);
  cart.currency = currency ?? defaultCurrency(await getAccount(kv, cart.account_id));
  // Priced before it is kept: a cart whose total is past what one payment takes is refused.
  const priced = await priceCart(kv, cart);
  await createCart(kv, cart, now);
  return c.json(cartJson(priced, viewFor(c)), 201);
}

async function updateHandler(c: ShopContext) {
  const kv = c.get("kv");
  const entry = await getCart(kv, c.get("token").account_id, c.req.param("id")!, c.get("token").id);
  assertOpen(entry.value);
  const input = await bodyOf(c, CartInput, "cart");
  const next = applyInput(entry.value, input, nowIso(c.get("config").now()));
  await checkItems(kv, next.account_id, next.items, next.currency);
  const priced = await priceCart(kv, next);
  await saveCart(kv, entry, next);
  return c.json(cartJson(priced, viewFor(c)));
}

const ItemChange = z.object({ quantity: Quantity.optional() });

/**
 * An item's quantity after `POST /carts/{id}/items` (`adding`) or `POST {item.url}`: a new line
 * has the quantity sent (1 if none); adding a product the cart has adds what is sent (Comecero's
 * Buy Now sends none, and the line stays as it is); an item's own URL sets it, or leaves it.
 */
function nextQuantity(
  productId: string,
  adding: boolean,
  current: number | null,
  sent: number | undefined,
): number {
  if (current === null) return sent ?? 1;
  if (!adding) return sent ?? current;
  const sum = current + (sent ?? 0);
  if (sum > MAX_QUANTITY) {
    throw new ValidationError(
      `Quantity of "${productId}" would be ${sum}; a cart line holds at most ${MAX_QUANTITY}`,
      { product_id: productId, max_quantity: MAX_QUANTITY },
      "invalid_quantity",
    );
  }
  return sum;
}

/** Refuses a new line in a cart that has `MAX_LINES` already. */
function assertRoomForLine(cart: Cart): void {
  if (cart.items.length >= MAX_LINES) {
    throw new ValidationError(
      `This cart has ${cart.items.length} products; a cart holds at most ${MAX_LINES}`,
      { max_items: MAX_LINES },
      "too_many_items",
    );
  }
}

/** `POST /carts/{id}/items` adds a product; `POST /carts/{id}/items/{item_id}` changes one. */
async function itemHandler(c: ShopContext) {
  const kv = c.get("kv");
  const token = c.get("token");
  const entry = await getCart(kv, token.account_id, c.req.param("id")!, token.id);
  assertOpen(entry.value);
  const itemId = c.req.param("item_id");
  const input = itemId === undefined
    ? await bodyOf(c, ItemInput, "item")
    : { product_id: itemId, ...await bodyOf(c, ItemChange, "item") };
  const productId = (input.product_id ?? ("item_id" in input ? input.item_id : undefined))!;
  const items = [...entry.value.items];
  const at = items.findIndex((item) => item.product_id === productId);
  if (itemId !== undefined && at === -1) {
    throw new NotFoundError(`No such item in this cart: "${itemId}"`, "resource_not_found");
  }
  const current = at === -1 ? null : items[at].quantity;
  const quantity = nextQuantity(productId, itemId === undefined, current, input.quantity);
  if (at === -1) assertRoomForLine(entry.value);
  if (at === -1) items.push({ product_id: productId, quantity });
  else items[at] = { product_id: productId, quantity };
  const next = { ...entry.value, items: items.filter((item) => item.quantity > 0) };
  await checkItems(kv, next.account_id, next.items, next.currency);
  const priced = await priceCart(kv, next);
  await saveCart(kv, entry, next);
  const item = cartItemJson(priced, productId, viewFor(c)) ??
    { item_id: productId, product_id: productId, quantity: 0, currency: next.currency };
  return c.json(item, at === -1 ? 201 : 200);
}

export const carts = new Hono<ShopEnv>()
  .post("/carts", createHandler)
  .get("/carts/:id", async (c) => {
    const token = c.get("token");
    const entry = await getCart(c.get("kv"), token.account_id, c.req.param("id"), token.id);
    return answerCart(c, entry.value);
  })
  .post("/carts/:id", updateHandler)
  .post("/carts/:id/items", itemHandler)
  .post("/carts/:id/items/:item_id", itemHandler);
