/** A relative time ("5 minutes ago") with the exact time as its tooltip. */
import { fullTime, relativeTime } from "../../lib/relative_time.ts";

export function RelTime({ iso, now, locale }: { iso: string; now: number; locale: string }) {
  return <time dateTime={iso} title={fullTime(iso, locale)}>{relativeTime(iso, now, locale)}</time>;
}
