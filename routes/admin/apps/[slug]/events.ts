/**
 * `GET /apps/:slug/events`: server-sent events for an open app page. A `change` event says
 * "what this page shows may have changed, fetch it again"; a comment every 15 s keeps proxies
 * from closing a quiet stream. Changes are coalesced over 100 ms, so a burst is one refetch.
 * Streams are capped per session and person, and end within seconds of a sign-out or a
 * removal (stream_guard.ts).
 */
import { getApp } from "../../../../kv/apps.ts";
import { watchApp } from "../../../../kv/app_watch.ts";
import type { AuthedContext } from "../../context.ts";
import { endOnStop } from "../../stream_ends.ts";
import { holdStreamPlace, RECHECK_MS, stillSignedIn } from "../../stream_guard.ts";

const HEARTBEAT_MS = 15_000;
const COALESCE_MS = 100;
/** A stream ends after this long and the browser reconnects: none outlives a shutdown by much. */
const LIFETIME_MS = 5 * 60_000;

export async function appEvents(ctx: AuthedContext): Promise<Response> {
  const app = await getApp(ctx.kv, ctx.user.account.id, ctx.params.slug);
  const release = holdStreamPlace(ctx);
  const encoder = new TextEncoder();
  let stop: (() => Promise<void>) | undefined;
  let timers: ReturnType<typeof setTimeout>[] = [];
  let pending: ReturnType<typeof setTimeout> | undefined;
  let forget: (() => void) | undefined;
  const cleanUp = async () => {
    for (const timer of timers) clearTimeout(timer);
    timers = [];
    clearTimeout(pending);
    forget?.();
    release();
    await stop?.();
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          // The client went away between a notice and its write; cancel() cleans up.
        }
      };
      const end = async () => {
        await cleanUp();
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      // Only while the session still may see the app: else the stream ends, saying nothing.
      const checked = async (then: () => void) => {
        if (await stillSignedIn(ctx).catch(() => false)) then();
        else await end();
      };
      // How long a browser waits before reconnecting a dropped stream.
      write("retry: 2000\n\n");
      stop = watchApp(ctx.kv, app.id, () => {
        if (pending !== undefined) return;
        pending = setTimeout(() => {
          pending = undefined;
          checked(() => write(`event: change\ndata: ${JSON.stringify({ app: app.slug })}\n\n`));
        }, COALESCE_MS);
      });
      timers = [
        setInterval(() => write(": still here\n\n"), HEARTBEAT_MS),
        setInterval(() => checked(() => {}), RECHECK_MS),
        setTimeout(end, LIFETIME_MS),
      ];
      forget = endOnStop(end);
    },
    cancel: cleanUp,
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
