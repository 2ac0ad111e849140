/**
 * A cart's totals from catalog prices, in minor units (money.ts): line subtotals, flat-rate
 * shipping, tax by the buyer's country. The server computes them on every read; what a client
 * echoes back is never believed.
 */
import { percentOf } from "./money.ts";

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

/** Totals of `lines` with `shipping` (minor units) and tax at `taxPercent` on goods and shipping. */
export function computeTotals(lines: PricedLine[], shipping: number, taxPercent: number): Totals {
  const amounts = lines.map((line) => line.price * line.quantity);
  const subtotal = amounts.reduce((sum, amount) => sum + amount, 0);
  const tax = percentOf(subtotal + shipping, taxPercent);
  return {
    lines: amounts,
    subtotal,
    shipping,
    tax,
    discount: 0,
    total: subtotal + shipping + tax,
  };
}
