/**
 * In-process change notices. A write made by this process (promote, delete, settings) tells the
 * edge caches of this process at once, so the change shows on the next request; other
 * processes and regions see it through `kv.watch` and periodic revalidation instead.
 */
export type Change =
  | { kind: "host"; slug: string }
  | { kind: "live"; appId: string }
  | { kind: "settings"; appId: string }
  | { kind: "link"; appId: string; linkId: string }
  | { kind: "version"; appId: string; number: number };

type Listener = (change: Change) => void;

const listeners = new Set<Listener>();

export function onChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifyChange(change: Change): void {
  for (const listener of listeners) listener(change);
}
