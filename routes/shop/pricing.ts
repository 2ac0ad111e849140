/**
 * A cart priced from the catalog as it is now: each item's product and line amount, the shipping
 * quotes in the cart's currency and the one chosen, tax by the buyer's country, and the totals,
 * all in minor units (commerce/). Items whose product is gone or inactive are left out of the
 * price; paying refuses them (`unavailable_inventory`).
 */
import { computeTotals, taxRateFor, type Totals } from "../../commerce/totals.ts";
import type { Cart, CartItem } from "../../kv/carts.ts";
import {
  getShoppingOptions,
  type Product,
  productsById,
  type ShippingMethod,
  type ShoppingOptions,
} from "../../kv/catalog.ts";

export interface PricedLine {
  item: CartItem;
  product: Product;
  subtotal: number;
}

export interface PricedCart {
  cart: Cart;
  lines: PricedLine[];
  /** Items the catalog no longer sells. */
  unavailable: CartItem[];
  options: ShoppingOptions;
  quotes: ShippingMethod[];
  shipping: ShippingMethod | null;
  taxRate: number;
  totals: Totals;
}

/**
 * The country tax is charged for: the billing address's, else the shipping address's — what the
 * buyer states, as Comecero charges it. Never where the request seems to come from: that is a
 * header, and a buyer who picks a 0 % country by header must not lower the tax.
 */
function taxCountry(cart: Cart): string | null {
  return cart.customer.billing_address.country ?? cart.customer.shipping_address.country;
}

export async function priceCart(kv: Deno.Kv, cart: Cart): Promise<PricedCart> {
  const [products, options] = await Promise.all([
    productsById(kv, cart.account_id, cart.items.map((item) => item.product_id)),
    getShoppingOptions(kv, cart.account_id),
  ]);
  const lines: PricedLine[] = [];
  const unavailable: CartItem[] = [];
  for (const item of cart.items) {
    const product = products.get(item.product_id);
    if (product?.active && product.currency === cart.currency) {
      lines.push({ item, product, subtotal: product.price * item.quantity });
    } else unavailable.push(item);
  }
  const physical = lines.some((line) => line.product.type === "physical");
  const quotes = physical
    ? options.shipping_methods.filter((method) => method.currency === cart.currency)
    : [];
  const shipping = quotes.find((q) => q.method_id === cart.shipping_method_id) ?? quotes[0] ??
    null;
  const taxRate = taxRateFor(options.tax_rates, taxCountry(cart));
  const totals = computeTotals(
    lines.map((line) => ({
      product_id: line.item.product_id,
      price: line.product.price,
      quantity: line.item.quantity,
    })),
    shipping?.price ?? 0,
    taxRate,
  );
  return { cart, lines, unavailable, options, quotes, shipping, taxRate, totals };
}
