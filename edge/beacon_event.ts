/**
 * The body of a beacon event (`POST /api/v1/events`), checked by hand: the edge answers every
 * shopper and imports no schema library (DESIGN "Shape of the program": zod is the platform's).
 * Unknown fields are ignored, as a schema's object would strip them.
 */

import { MAX_CONVERSION_VALUE } from "./beacon_limits.ts";

export type BeaconEvent =
  | { type: "pageview"; path?: string }
  | {
    type: "conversion";
    /** Minor units of `currency`. */
    value?: number;
    currency?: string | null;
    order_id?: string | null;
  };

const CURRENCY = /^[A-Z]{3}$/;

/** The event in a parsed JSON body; throws a `TypeError` naming the field that is wrong. */
export function parseBeaconEvent(input: unknown): BeaconEvent {
  if (typeof input !== "object" || input === null) throw new TypeError("Not an object");
  const event = input as Record<string, unknown>;
  if (event.type === "pageview") {
    const path = check(event.path, (v) => typeof v === "string" && v.length <= 2048, "path");
    return path === undefined ? { type: "pageview" } : { type: "pageview", path: path as string };
  }
  if (event.type !== "conversion") throw new TypeError('"type" is neither pageview nor conversion');
  const value = check(event.value, isAmount, "value") as number | undefined;
  const currency = check(event.currency, (v) => v === null || isString(v, CURRENCY), "currency");
  const orderId = check(event.order_id, (v) => v === null || isString(v, null, 200), "order_id");
  const conversion: BeaconEvent = { type: "conversion" };
  if (value !== undefined) conversion.value = value;
  if (currency !== undefined) conversion.currency = currency as string | null;
  if (orderId !== undefined) conversion.order_id = orderId as string | null;
  return conversion;
}

/** An optional field: absent, or passing `valid`. */
function check(value: unknown, valid: (value: unknown) => boolean, name: string): unknown {
  if (value !== undefined && !valid(value)) throw new TypeError(`"${name}" is not valid`);
  return value;
}

function isAmount(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0 &&
    (value as number) <= MAX_CONVERSION_VALUE;
}

function isString(value: unknown, pattern: RegExp | null, maxLength = Infinity): boolean {
  return typeof value === "string" && value.length <= maxLength &&
    (pattern === null || pattern.test(value));
}
