/**
 * In-process change notices. A write made by this process (promote, delete, settings) tells the
 * edge caches of this process at once, so the change shows on the next request; other
 * processes and regions see it through `kv.watch` and periodic revalidation instead.
 *
 * Notices belong to the KV handle written through, as the data does: two Switchyard instances
 * in one process (each on its own handle) never hear each other's. A wrapper of a handle is a
 * handle of its own here.
 */
export type Change =
  | { kind: "host"; slug: string }
  | { kind: "live"; appId: string }
  | { kind: "settings"; appId: string }
  | { kind: "link"; appId: string; linkId: string }
  | { kind: "version"; appId: string; number: number };

type Listener = (change: Change) => void;

const listeners = new WeakMap<Deno.Kv, Set<Listener>>();

/** Calls `listener` with every change written through `kv`, until the returned function is called. */
export function onChange(kv: Deno.Kv, listener: Listener): () => void {
  let own = listeners.get(kv);
  if (own === undefined) listeners.set(kv, own = new Set());
  own.add(listener);
  return () => own.delete(listener);
}

/** Tells the listeners of `kv` about a change just committed through it. */
export function notifyChange(kv: Deno.Kv, change: Change): void {
  const own = listeners.get(kv);
  if (own === undefined) return;
  for (const listener of own) listener(change);
}
