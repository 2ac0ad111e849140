/**
 * Shoppers' carts. A cart belongs to the limited token that made it and records where it was
 * made: the app, the version of the page the shopper was on, and the mode (`test` through a test
 * link). Creating one adds 1 to that version's `carts` counter in the same commit, so the stats
 * read counters and never scan carts. Every change checks the versionstamp it read.
 */
import { ConflictError, NotFoundError } from "../lib/errors.ts";
import { cartKey, counterKey } from "./keys.ts";

export interface Address {
  name: string | null;
  address_1: string | null;
  address_2: string | null;
  city: string | null;
  state_prov: string | null;
  postal_code: string | null;
  country: string | null;
}

export interface Customer {
  name: string | null;
  email: string | null;
  company_name: string | null;
  phone: string | null;
  tax_number: string | null;
  billing_address: Address;
  shipping_address: Address;
}

/** Where a cart, payment or order was made: the page's app, version and mode. */
export interface Origin {
  app_id: string | null;
  /** The version of the page the shopper was on; null on the platform host. */
  version: number | null;
  mode: "live" | "test";
}

export interface CartItem {
  product_id: string;
  quantity: number;
}

export interface Cart extends Origin {
  cart_id: string;
  account_id: string;
  token_id: string;
  /** `paying` while one payment is with the gateway; `closed` once paid. */
  status: "open" | "paying" | "closed";
  /** When the `paying` hold was taken (ms); a hold older than a minute is stale. */
  locked_at: number | null;
  currency: string;
  items: CartItem[];
  customer: Customer;
  shipping_method_id: string | null;
  meta: Record<string, unknown> | null;
  referrer: string | null;
  customer_ip_country: string | null;
  payment_id: string | null;
  date_created: string;
  date_modified: string;
}

/**
 * How long an open cart is kept after its last change: an abandoned cart goes by itself
 * (`expireIn`), a paid one stays with its payment and order.
 */
const OPEN_CART_MS = 30 * 24 * 3600 * 1000;

/** The day (UTC) counters are kept under, as the edge's own counters name it. */
function counterDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** Adds `amount` to the counter `name` of `origin` in `op` (nothing for a platform cart). */
export function countIn(
  op: Deno.AtomicOperation,
  origin: Origin,
  name: string,
  amount: number,
  now: number,
): void {
  if (!origin.app_id || !origin.version) return;
  op.sum(
    counterKey(origin.app_id, origin.version, origin.mode, counterDay(now), name),
    BigInt(amount),
  );
}

export async function createCart(kv: Deno.Kv, cart: Cart, now = Date.now()): Promise<void> {
  const key = cartKey(cart.account_id, cart.cart_id);
  const op = kv.atomic().check({ key, versionstamp: null })
    .set(key, cart, { expireIn: OPEN_CART_MS });
  countIn(op, cart, "carts", 1, now);
  const result = await op.commit();
  if (!result.ok) throw new ConflictError(`Cart id taken: "${cart.cart_id}"`);
}

/**
 * The cart `cartId` of the account, if `tokenId` made it; another token's cart is "not found",
 * as Comecero's client expects (it then starts a new session).
 */
export async function getCart(
  kv: Deno.Kv,
  accountId: string,
  cartId: string,
  tokenId: string,
): Promise<Deno.KvEntry<Cart>> {
  const entry = await kv.get<Cart>(cartKey(accountId, cartId.slice(0, 64)));
  if (!entry.value || entry.value.token_id !== tokenId) {
    throw new NotFoundError(`No such cart: "${cartId}"`, "resource_not_found");
  }
  return entry as Deno.KvEntry<Cart>;
}

/** Writes `next` over the cart read as `entry`; a change made meanwhile is a 409. */
export async function saveCart(
  kv: Deno.Kv,
  entry: Deno.KvEntry<Cart>,
  next: Cart,
): Promise<Deno.KvEntry<Cart>> {
  const life = next.status === "closed" ? undefined : { expireIn: OPEN_CART_MS };
  const result = await kv.atomic().check(entry).set(entry.key, next, life).commit();
  if (!result.ok) {
    throw new ConflictError("The cart changed meanwhile; send the update again", "cart_changed");
  }
  return { key: entry.key, value: next, versionstamp: result.versionstamp };
}
