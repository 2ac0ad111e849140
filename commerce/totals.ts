/**
 * A cart's totals from catalog prices, in minor units (money.ts): line subtotals, flat-rate
 * shipping, tax by the buyer's country. The server computes them on every read; what a client
 * echoes back is never believed. They are summed in BigInt, where nothing is lost, and a cart
 * whose total passes `MAX_TOTAL_MINOR` is refused: past 2^53 a number drops cents, and the
 * gateway would be asked for a wrong amount.
 */
import { ValidationError } from "../lib/errors.ts";
import { percentOfMinor } from "./money.ts";

/**
 * The largest cart total (minor units): the last exact integer of a JSON number. A price is at
 * most `MAX_MINOR` (1e13), so any single product, with tax and shipping, stays payable.
 */
export const MAX_TOTAL_MINOR = Number.MAX_SAFE_INTEGER;

export interface PricedLine {
  product_id: string;
  /** Unit price in minor units, from the catalog. */
  price: number;
  quantity: number;
}

export interface Totals {
  /** Per line: `price × quantity`. */
  lines: number[];
  subtotal: number;
  shipping: number;
  tax: number;
  discount: number;
  total: number;
}

export interface TaxRate {
  country: string;
  /** Percent, up to 4 decimals: 8.25 means 8.25 %. */
  rate: number;
}

/** The rate of `country` in `rates`; 0 when it has none (or the country is unknown). */
export function taxRateFor(rates: readonly TaxRate[], country: string | null): number {
  if (!country) return 0;
  return rates.find((rate) => rate.country === country.toUpperCase())?.rate ?? 0;
}

/**
 * Totals of `lines` with `shipping` (minor units) and tax at `taxPercent` on goods and shipping.
 * Throws a 422 `cart_total_too_large` when the total would pass `MAX_TOTAL_MINOR` (every amount
 * is at most the total, so all of them stay exact numbers).
 */
export function computeTotals(lines: PricedLine[], shipping: number, taxPercent: number): Totals {
  const amounts = lines.map((line) => BigInt(line.price) * BigInt(line.quantity));
  const subtotal = amounts.reduce((sum, amount) => sum + amount, 0n);
  const tax = percentOfMinor(subtotal + BigInt(shipping), taxPercent);
  const total = subtotal + BigInt(shipping) + tax;
  if (total > BigInt(MAX_TOTAL_MINOR)) {
    throw new ValidationError(
      `The cart's total would be ${total} minor units, more than the ${MAX_TOTAL_MINOR} taken ` +
        "in one payment: lower the quantities",
      { max_total_minor: MAX_TOTAL_MINOR },
      "cart_total_too_large",
    );
  }
  return {
    lines: amounts.map(Number),
    subtotal: Number(subtotal),
    shipping,
    tax: Number(tax),
    discount: 0,
    total: Number(total),
  };
}
