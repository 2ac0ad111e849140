/** Numbers as people read them, the same on the server and in islands. */

/** Bytes in SI units: `812 B`, `1.2 MB`, `35 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** `12,345` in `locale` (a format is made once per locale: making one is slow). */
export function formatNumber(value: number, locale: string): string {
  let format = numberFormats.get(locale);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale);
    } catch {
      format = new Intl.NumberFormat("en");
    }
    numberFormats.set(locale, format);
  }
  return format.format(value);
}
