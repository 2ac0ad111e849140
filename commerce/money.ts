/**
 * Money in integer minor units (cents, yen, fils), the only form amounts are added and multiplied
 * in: a float total drifts (0.1 + 0.2), an integer never does. The JSON the APIs speak carries
 * numbers in the currency's units (Comecero: `"price": 24.99`); they are converted here, exactly,
 * at the edge of each API. The digits of a currency come from ICU (`Intl`), which knows ISO 4217,
 * so no table of our own can go stale. Hand-written rather than dinero.js: four small functions
 * over `Intl`, where the library would bring its own currency objects to every record.
 */
import { ValidationError } from "../lib/errors.ts";

const digitsCache = new Map<string, number>();

/** Whether `code` is an ISO 4217 currency ICU knows (three uppercase letters). */
export function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    return Intl.supportedValuesOf("currency").includes(code);
  } catch {
    return false;
  }
}

/** Digits after the point in `currency`'s minor unit: 2 for USD, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** The largest amount accepted anywhere (minor units): far past any cart, inside 2^53. */
export const MAX_MINOR = 1e13;

/**
 * `amount` (currency units, as JSON carries it) in minor units. Refuses a value with more
 * decimals than the currency has (`10.005` USD), a negative one, or one past `MAX_MINOR`.
 */
export function toMinor(amount: number, currency: string, field = "price"): number {
  const scale = 10 ** minorDigits(currency);
  const minor = Math.round(amount * scale);
  // The float product of a decimal written with the right digits lies within 1e-6 of an integer.
  if (!Number.isFinite(amount) || Math.abs(amount * scale - minor) > 1e-6) {
    throw new ValidationError(
      `Amount has more decimals than ${currency} allows: "${amount}"`,
      [{ field, message: `at most ${minorDigits(currency)} decimals` }],
      "invalid_amount",
    );
  }
  if (minor < 0 || minor > MAX_MINOR) {
    throw new ValidationError(`Amount is out of range: "${amount}"`, [
      { field, message: `0 to ${MAX_MINOR / scale}` },
    ], "invalid_amount");
  }
  return minor;
}

/** Minor units as the JSON number in currency units (2499 USD → 24.99). */
export function fromMinor(minor: number, currency: string): number {
  const digits = minorDigits(currency);
  // toFixed then Number gives the shortest decimal, never 24.990000000000002.
  return Number((minor / 10 ** digits).toFixed(digits));
}

const formatters = new Map<string, Intl.NumberFormat>();

/** A display string with the currency's symbol: 2499 USD → "$24.99" (en-US). */
export function formatMoney(minor: number, currency: string, locale = "en-US"): string {
  const key = `${locale}|${currency}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency });
    formatters.set(key, format);
  }
  return format.format(fromMinor(minor, currency));
}

/** `base × percent / 100`, rounded half up, exact for any amount (percent to 4 decimals). */
export function percentOf(base: number, percent: number): number {
  return Number(percentOfMinor(BigInt(base), percent));
}

/** `percentOf` on a BigInt amount, for sums that may pass 2^53 before they are checked. */
export function percentOfMinor(base: bigint, percent: number): bigint {
  const micro = BigInt(Math.round(percent * 10_000));
  return (base * micro + 500_000n) / 1_000_000n;
}
