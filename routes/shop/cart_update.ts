/**
 * A cart update as Comecero's client sends it, applied to a cart (COMECERO-API.md §5.4): PATCH
 * semantics — a key left out keeps its value, an explicit null clears it — except `items`, which
 * is the whole desired list. Items are checked against the catalog: a product the account does
 * not sell is `unavailable_inventory` with `meta.product_id` (the client then drops the item and
 * sends again), one in another currency than the cart is refused.
 */
import { isCurrency } from "../../commerce/money.ts";
import type { Address, Cart, CartItem, Customer } from "../../kv/carts.ts";
import { productsById } from "../../kv/catalog.ts";
import { BadRequestError, ValidationError } from "../../lib/errors.ts";
import type { CartInput } from "./schemas.ts";

type AddressInput = NonNullable<NonNullable<CartInput["customer"]>["billing_address"]>;

export const EMPTY_ADDRESS: Address = {
  name: null,
  address_1: null,
  address_2: null,
  city: null,
  state_prov: null,
  postal_code: null,
  country: null,
};

export const EMPTY_CUSTOMER: Customer = {
  name: null,
  email: null,
  company_name: null,
  phone: null,
  tax_number: null,
  billing_address: EMPTY_ADDRESS,
  shipping_address: EMPTY_ADDRESS,
};

/** `base` with each key `input` names set (null and "" clear it). */
function merge<T extends object>(base: T, input: object): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || !(key in base)) continue;
    out[key] = value === "" ? null : value;
  }
  return out as T;
}

function mergeAddress(base: Address, input: AddressInput | null | undefined): Address {
  if (input === undefined) return base;
  // "Shipping same as billing" sends the shipping fields as null: an address cleared.
  if (input === null) return EMPTY_ADDRESS;
  return merge(base, input);
}

export function mergeCustomer(base: Customer, input: CartInput["customer"]): Customer {
  // Never null (the client throws on the next update without one): null keeps it as it was.
  if (!input) return base;
  const { billing_address, shipping_address, ...fields } = input;
  return {
    ...merge(base, fields),
    billing_address: mergeAddress(base.billing_address, billing_address),
    shipping_address: mergeAddress(base.shipping_address, shipping_address),
  };
}

/** The items of `input` as a list with one line per product; quantity 0 removes it. */
export function itemsOf(input: NonNullable<CartInput["items"]>): CartItem[] {
  const byProduct = new Map<string, number>();
  for (const item of input) {
    const id = (item.product_id ?? item.item_id)!;
    byProduct.set(id, item.quantity ?? byProduct.get(id) ?? 1);
  }
  return [...byProduct].filter(([, quantity]) => quantity > 0)
    .map(([product_id, quantity]) => ({ product_id, quantity }));
}

/**
 * Checks `items` against the account's catalog and answers the currency they are sold in:
 * `currency` when given, else the products' own.
 */
export async function checkItems(
  kv: Deno.Kv,
  accountId: string,
  items: CartItem[],
  currency: string | null,
): Promise<string | null> {
  const products = await productsById(kv, accountId, items.map((item) => item.product_id));
  for (const item of items) {
    const product = products.get(item.product_id);
    if (!product?.active) {
      throw new ValidationError(
        `This product is not available: "${item.product_id}"`,
        { product_id: item.product_id },
        "unavailable_inventory",
      );
    }
    currency ??= product.currency;
    if (product.currency !== currency) {
      throw new ValidationError(
        `Product "${item.product_id}" is sold in ${product.currency}, not ${currency}`,
        { product_id: item.product_id, currency: product.currency },
        "invalid_currency",
      );
    }
  }
  return currency;
}

/** The cart `input` makes of `cart` (not yet saved); the caller checks items and currency. */
export function applyInput(cart: Cart, input: CartInput, now: string): Cart {
  if (input.promotion_code) {
    // No promotions are offered yet; Comecero's client retries without the code.
    throw new BadRequestError(
      `No such promotion code: "${input.promotion_code}"`,
      "invalid_promotion_code",
    );
  }
  if (input.currency && !isCurrency(input.currency)) {
    throw new ValidationError(
      `Unknown currency: "${input.currency}"`,
      undefined,
      "invalid_currency",
    );
  }
  if (input.meta && JSON.stringify(input.meta).length > 8192) {
    throw new ValidationError("Cart meta is larger than 8 KiB", undefined, "invalid_input");
  }
  return {
    ...cart,
    items: input.items ? itemsOf(input.items) : cart.items,
    customer: mergeCustomer(cart.customer, input.customer),
    currency: input.currency ?? cart.currency,
    shipping_method_id: input.shipping_method_id === undefined
      ? cart.shipping_method_id
      : input.shipping_method_id,
    meta: input.meta === undefined ? cart.meta : input.meta,
    referrer: input.referrer === undefined ? cart.referrer : input.referrer,
    date_modified: now,
  };
}
