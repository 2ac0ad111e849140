/**
 * Event streams end when the process starts to stop. A graceful shutdown (lib/shutdown.ts) waits
 * for every response body still being sent, and an event stream never ends by itself: one open
 * app page would hold every restart for the whole shutdown timeout. Listening for the same
 * signals the shutdown listens for keeps this within the admin (the browser reconnects to the
 * next instance).
 */

const enders = new Set<() => void>();
let listening = false;

/** Calls `end` when the process gets SIGTERM or SIGINT; the returned function forgets it. */
export function endOnStop(end: () => void): () => void {
  if (!listening) {
    listening = true;
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      try {
        Deno.addSignalListener(signal, () => {
          for (const ender of [...enders]) ender();
        });
      } catch {
        // No such signal here (Windows has no SIGTERM): the shutdown timeout still ends streams.
      }
    }
  }
  enders.add(end);
  return () => enders.delete(end);
}
