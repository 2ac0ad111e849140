/**
 * Tells the admin when anything an app page shows may have changed: the live record (promote,
 * rollback, split, schedule — from this process, another, or another region), the version
 * counter (a version recorded), and this process's own change notices (a version made ready).
 * The page then re-reads through the API; KV `watch` may skip intermediate values, which is
 * fine for a notice that only says "look again".
 */
import { onChange } from "./changes.ts";
import { liveKey, versionCounterKey } from "./keys.ts";

/** Calls `notify` on each change until the returned function is called (it settles once ended). */
export function watchApp(kv: Deno.Kv, appId: string, notify: () => void): () => Promise<void> {
  const reader = kv.watch([liveKey(appId), versionCounterKey(appId)]).getReader();
  let first = true;
  const ended = (async () => {
    try {
      for (;;) {
        const { done } = await reader.read();
        if (done) return;
        // The first notice repeats the current values, which the page already shows.
        if (!first) notify();
        first = false;
      }
    } catch {
      // The stream fails when the KV handle closes under it; the page's periodic refetch remains.
    }
  })();
  const stopLocal = onChange(kv, (change) => {
    if ("appId" in change && change.appId === appId) notify();
  });
  return async () => {
    stopLocal();
    await reader.cancel().catch(() => {});
    await ended;
  };
}
