/**
 * `GET /apps/:slug/events`: server-sent events for an open app page. A `change` event says
 * "what this page shows may have changed, fetch it again"; a comment every 15 s keeps proxies
 * from closing a quiet stream. Changes are coalesced over 100 ms, so a burst is one refetch.
 */
import { getApp } from "../../../../kv/apps.ts";
import { watchApp } from "../../../../kv/app_watch.ts";
import type { AuthedContext } from "../../context.ts";
import { endOnStop } from "../../stream_ends.ts";

const HEARTBEAT_MS = 15_000;
const COALESCE_MS = 100;
/** A stream ends after this long and the browser reconnects: none outlives a shutdown by much. */
const LIFETIME_MS = 5 * 60_000;

export async function appEvents(ctx: AuthedContext): Promise<Response> {
  const app = await getApp(ctx.kv, ctx.user.account.id, ctx.params.slug);
  const encoder = new TextEncoder();
  let stop: (() => Promise<void>) | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let lifetime: ReturnType<typeof setTimeout> | undefined;
  let forget: (() => void) | undefined;
  const cleanUp = async () => {
    clearInterval(heartbeat);
    clearTimeout(pending);
    clearTimeout(lifetime);
    forget?.();
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
      // How long a browser waits before reconnecting a dropped stream.
      write("retry: 2000\n\n");
      stop = watchApp(ctx.kv, app.id, () => {
        if (pending !== undefined) return;
        pending = setTimeout(() => {
          pending = undefined;
          write(`event: change\ndata: ${JSON.stringify({ app: app.slug })}\n\n`);
        }, COALESCE_MS);
      });
      heartbeat = setInterval(() => write(": still here\n\n"), HEARTBEAT_MS);
      const end = async () => {
        await cleanUp();
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      lifetime = setTimeout(end, LIFETIME_MS);
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
