/**
 * The body of an analytics beacon, checked by hand: a schema library would be the biggest
 * module the edge loads at start (zod costs a fresh isolate ~20 ms), for two small shapes.
 */

export type AnalyticsEvent =
  | { type: "pageview"; path?: string }
  | { type: "conversion"; value?: number; currency?: string | null; order_id?: string | null };

const CURRENCY = /^[A-Z]{3}$/;
const MAX_VALUE = 1e10;

const optional = (value: unknown, ok: (v: unknown) => boolean) => value === undefined || ok(value);
const nullable = (value: unknown, ok: (v: unknown) => boolean) =>
  value === undefined || value === null || ok(value);

/** The event `value` describes, or null when it is not one (unknown keys are ignored). */
export function parseEvent(value: unknown): AnalyticsEvent | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const event = value as Record<string, unknown>;
  if (event.type === "pageview") {
    const path = event.path;
    if (!optional(path, (p) => typeof p === "string" && p.length <= 2048)) return null;
    return path === undefined ? { type: "pageview" } : { type: "pageview", path: path as string };
  }
  if (event.type !== "conversion") return null;
  const { value: amount, currency, order_id } = event;
  const valid = optional(
    amount,
    (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_VALUE,
  ) &&
    nullable(currency, (c) => typeof c === "string" && CURRENCY.test(c)) &&
    nullable(order_id, (o) => typeof o === "string" && o.length <= 200);
  if (!valid) return null;
  return {
    type: "conversion",
    value: amount as number | undefined,
    currency: currency as string | null | undefined,
    order_id: order_id as string | null | undefined,
  };
}
