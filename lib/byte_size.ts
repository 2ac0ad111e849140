/**
 * Sizes for people: "1.3 kB", "46.9 kB", "2.1 MB", in decimal units as browsers' and operating
 * systems' download dialogs show them, formatted in the reader's locale.
 */
const UNITS = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;

export function byteSize(bytes: number, locale = "en"): string {
  let unit = 0;
  let value = bytes;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const options: Intl.NumberFormatOptions = {
    style: "unit",
    unit: UNITS[unit],
    unitDisplay: unit === 0 ? "long" : "short",
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  };
  try {
    return new Intl.NumberFormat(locale, options).format(value);
  } catch {
    return new Intl.NumberFormat("en", options).format(value);
  }
}

/** How much smaller a compressed variant is, as a whole percentage ("−72 %"). */
export function savedShare(size: number, compressed: number, locale = "en"): string {
  if (size <= 0) return "";
  const share = -(size - compressed) / size;
  try {
    return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 })
      .format(share);
  } catch {
    return `${Math.round(share * 100)}%`;
  }
}
