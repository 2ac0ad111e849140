/**
 * Which version's fields an app's settings are checked against: the live one, or before anything
 * is live the newest ready one (so a merchant can prepare settings before the first promote).
 * The API and the admin's settings page both ask here, so they check against the same fields.
 */
import type { App } from "./apps.ts";
import { getLive } from "./live.ts";
import { activeTarget } from "./live_record.ts";
import { getVersion, listVersions, type Version } from "./versions.ts";

/** The version whose `fields/*.json` govern `app`'s settings at `now`; null when none is ready. */
export async function settingsSchemaVersion(
  kv: Deno.Kv,
  app: App,
  now: number,
): Promise<Version | null> {
  const live = activeTarget((await getLive(kv, app.id)).value, now);
  if (live.version) return await getVersion(kv, app, live.version);
  const newest = (await listVersions(kv, app, { limit: 20 })).items.find((v) =>
    v.status === "ready"
  );
  return newest ?? null;
}
