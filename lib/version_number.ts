/**
 * How a version number is written wherever a client writes one as text (a path, a cookie): a
 * plain decimal integer from 1 to 2^31, no sign, no leading zero, no exponent, nothing around
 * it. `Number()` alone would read `0x1`, `1e3`, ` 1`, `+1` and `01` as numbers too, so the same
 * version would have many names. The one rule for every route and cookie that takes a number.
 */

/** The text of a version number: 1–10 digits, the first not 0 (the range is checked apart). */
export const VERSION_NUMBER_PATTERN = /^[1-9][0-9]{0,9}$/;
/** The highest version number (KV holds them as JS numbers; 2^31 keeps them plain integers). */
export const MAX_VERSION_NUMBER = 2 ** 31;

/** The version number `text` writes, or null when it is not written the one way. */
export function parseVersionNumber(text: string): number | null {
  if (!VERSION_NUMBER_PATTERN.test(text)) return null;
  const number = Number(text);
  return number <= MAX_VERSION_NUMBER ? number : null;
}
