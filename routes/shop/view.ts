/**
 * What a shopper request asks of its answer (`expand`, `options=true`, `user_locale`), and the
 * small pieces every answer is made of: money as a number and its display string, where a record
 * was made, totals.
 */
import { formatMoney, fromMinor } from "../../commerce/money.ts";
import type { Origin } from "../../kv/carts.ts";

/** What a request asks of its answer: embedded paths, and the locale of display strings. */
export interface View {
  /** Dotted paths, each with its parents (`cart.options` brings `cart`). */
  expand: Set<string>;
  locale: string;
}

const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

/**
 * The view of a request's query: `expand` split on commas with empty entries ignored (the
 * client sends a trailing comma), each path's parents added; `options=true` is `expand=options`.
 */
export function viewOf(query: (name: string) => string | undefined): View {
  const expand = new Set<string>();
  for (const entry of (query("expand") ?? "").split(",").slice(0, 50)) {
    const path = entry.trim();
    if (!path || path.length > 100) continue;
    const parts = path.split(".");
    for (let i = 1; i <= parts.length; i++) expand.add(parts.slice(0, i).join("."));
  }
  if (query("options") === "true") expand.add("options");
  const locale = query("user_locale") ?? "";
  return { expand, locale: LOCALE.test(locale) ? locale : "en-US" };
}

/** Whether `path` is expanded; `prefix` places a nested object (`cart.` inside a payment). */
export function has(view: View, prefix: string, path: string): boolean {
  return view.expand.has(prefix + path);
}

export function money(minor: number, currency: string, view: View) {
  return { value: fromMinor(minor, currency), text: formatMoney(minor, currency, view.locale) };
}

export function origin(record: Origin) {
  return {
    app_id: record.app_id,
    version: record.version,
    mode: record.mode,
    test: record.mode === "test",
  };
}

/** The totals of a cart or an order, as numbers and display strings. */
export function totalsJson(
  t: { subtotal: number; shipping: number; tax: number; discount: number; total: number },
  currency: string,
  view: View,
) {
  const out: Record<string, unknown> = {};
  const formatted: Record<string, string> = {};
  for (const name of ["subtotal", "shipping", "tax", "discount", "total"] as const) {
    const amount = money(t[name], currency, view);
    out[name] = amount.value;
    formatted[name] = amount.text;
  }
  return { out, formatted };
}
