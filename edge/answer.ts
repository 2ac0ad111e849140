/**
 * How the edge's steps hand an answer on. A step answers synchronously when everything it needs
 * is in memory and with a promise only when it must wait for KV (a cold host, table or blob), so
 * a warm request for a file of the selected version never waits a microtask nor allocates a
 * promise (injected paths and pinned assets are `async` still). `then` is the one way to
 * continue such a maybe-async value.
 */

type MaybePromise<T> = T | Promise<T>;

/** What an edge step answers with: a response now, or one that needs KV first. */
export type Answer = MaybePromise<Response>;

/**
 * Calls `next(value, arg)`: at once when `value` is at hand, else when it resolves. What `next`
 * needs beyond the value travels as `arg` (the request's context, mostly), so `next` can be a
 * function made once: a closure made per request would be the allocation this avoids.
 */
export function then<T, U>(
  value: MaybePromise<T>,
  next: (value: T) => MaybePromise<U>,
): MaybePromise<U>;
export function then<T, A, U>(
  value: MaybePromise<T>,
  next: (value: T, arg: A) => MaybePromise<U>,
  arg: A,
): MaybePromise<U>;
export function then<T, A, U>(
  value: MaybePromise<T>,
  next: (value: T, arg?: A) => MaybePromise<U>,
  arg?: A,
): MaybePromise<U> {
  if (value instanceof Promise) return value.then((resolved: T) => next(resolved, arg));
  return next(value, arg);
}
