/**
 * "3 minutes ago" in a given locale, for the admin: the server renders it in the locale the
 * browser asked for (Accept-Language) and islands in `navigator.language`, so both read alike.
 */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

const formats = new Map<string, Intl.RelativeTimeFormat>();

function formatFor(locale: string): Intl.RelativeTimeFormat {
  let format = formats.get(locale);
  if (!format) {
    try {
      format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
    } catch {
      format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
    }
    formats.set(locale, format);
  }
  return format;
}

/**
 * `iso` relative to `now` ("in 2 days", "yesterday", "now"). Under a minute is "now": nobody
 * acts on seconds here, and a count of seconds would change as soon as an island hydrates with
 * the browser's clock ("now" → "2 seconds ago"), moving the table around it.
 */
export function relativeTime(iso: string, now: number, locale = "en"): string {
  let delta = Date.parse(iso) - now;
  // A time a few seconds ahead is two clocks disagreeing (the server's and the browser's).
  if (delta > 0 && delta < 5_000) delta = 0;
  const format = formatFor(locale);
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms) return format.format(Math.round(delta / ms), unit);
  }
  return format.format(0, "second");
}

/** The first locale of an Accept-Language header (`de-CH,de;q=0.9` → `de-CH`), else `en`. */
export function localeOf(acceptLanguage: string | undefined | null): string {
  const first = acceptLanguage?.split(",")[0]?.split(";")[0]?.trim();
  return first && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(first) ? first : "en";
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A full date and time for a tooltip, in `locale`. */
export function fullTime(iso: string, locale = "en"): string {
  // Making a format costs far more than using one: a page of 100 apps would spend most of its
  // render here.
  let format = dateFormats.get(locale);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
    } catch {
      format = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
    }
    dateFormats.set(locale, format);
  }
  return format.format(new Date(iso));
}
