/**
 * The two mutable things the edge caches per app host — the app a slug names and its live
 * record — read strongly, re-read in batches, and watched with `kv.watch` (DESIGN "Edge": watch
 * plus periodic revalidation, because watch may skip intermediate values and does not see
 * another process's writes to a local SQLite file).
 */
import type { App } from "./apps.ts";
import { appBySlugKey, appKey, liveKey } from "./keys.ts";
import type { LiveRecord } from "./live_record.ts";

export interface HostPointers {
  app: App | null;
  live: LiveRecord | null;
  /** Versionstamp of the live record, "" when there is none: orders reads and watch events. */
  liveStamp: string;
}

const NO_HOST: HostPointers = Object.freeze({ app: null, live: null, liveStamp: "" });

/** The app behind `slug` and its live record. */
export async function readHost(kv: Deno.Kv, slug: string): Promise<HostPointers> {
  const id = await kv.get<string>(appBySlugKey(slug));
  if (!id.value) return NO_HOST;
  const [app, live] = await kv.getMany<[App, LiveRecord]>([appKey(id.value), liveKey(id.value)]);
  if (!app.value) return NO_HOST;
  return { app: app.value, live: live.value, liveStamp: live.versionstamp ?? "" };
}

/** Deno KV allows 10 keys per getMany: a slug index and a live record for 5 hosts. */
const HOSTS_PER_READ = 5;

/**
 * Re-reads known hosts in few round trips. A host whose slug still names the same app costs
 * two keys; one whose slug now names another app, or none, is read in full.
 */
export async function rereadHosts(
  kv: Deno.Kv,
  hosts: { slug: string; app: App }[],
): Promise<Map<string, HostPointers>> {
  const out = new Map<string, HostPointers>();
  const reads: Promise<void>[] = [];
  for (let i = 0; i < hosts.length; i += HOSTS_PER_READ) {
    const group = hosts.slice(i, i + HOSTS_PER_READ);
    const keys = group.flatMap(({ slug, app }) => [appBySlugKey(slug), liveKey(app.id)]);
    reads.push(
      kv.getMany<unknown[]>(keys).then(async (entries) => {
        for (const [j, { slug, app }] of group.entries()) {
          const id = entries[2 * j].value;
          const live = entries[2 * j + 1] as Deno.KvEntryMaybe<LiveRecord>;
          out.set(
            slug,
            id === app.id
              ? { app, live: live.value, liveStamp: live.versionstamp ?? "" }
              : await readHost(kv, slug),
          );
        }
      }),
    );
  }
  await Promise.all(reads);
  return out;
}

/** A change `watchHost` saw: the slug moved (re-read the host) or the live record changed. */
export type HostChange =
  | { kind: "moved" }
  | { kind: "live"; live: LiveRecord | null; liveStamp: string };

/**
 * Watches a host's slug index and its app's live record until the returned function is called
 * (it resolves once the watch has ended). The first notice repeats the current values.
 */
export function watchHost(
  kv: Deno.Kv,
  slug: string,
  appId: string,
  onChange: (change: HostChange) => void,
): () => Promise<void> {
  const reader = kv.watch([appBySlugKey(slug), liveKey(appId)]).getReader();
  const ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const [slugEntry, liveEntry] = value as [
          Deno.KvEntryMaybe<string>,
          Deno.KvEntryMaybe<LiveRecord>,
        ];
        if (slugEntry.value !== appId) onChange({ kind: "moved" });
        else {onChange({
            kind: "live",
            live: liveEntry.value,
            liveStamp: liveEntry.versionstamp ?? "",
          });}
      }
    } catch {
      // The stream fails when the KV handle closes under it; revalidation covers the rest.
    }
  })();
  return async () => {
    await reader.cancel().catch(() => {});
    await ended;
  };
}
