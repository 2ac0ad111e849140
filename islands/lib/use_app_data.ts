/**
 * Keeps an app page's data current: refetches through `/api/v1` when the server's event stream
 * says something changed (a promote from the CLI, a teammate's rollback), when a scheduled
 * change comes due (no write happens then: every edge applies the timeline by its clock), and
 * every 15 s in case the stream missed something or is down.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { getJson } from "./api.ts";
import { type AppData, RELEASES_SHOWN, VERSIONS_SHOWN } from "./app_types.ts";

const POLL_MS = 15_000;

export function useAppData(slug: string, initial: AppData) {
  const [data, setData] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef<AbortController | null>(null);

  const refresh = useCallback(async () => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    const base = `/apps/${slug}`;
    try {
      const [versions, live, releases] = await Promise.all([
        getJson<{ items: AppData["versions"] }>(
          `${base}/versions?limit=${VERSIONS_SHOWN}`,
          controller.signal,
        ),
        getJson<AppData["live"]>(`${base}/live`, controller.signal),
        getJson<{ items: AppData["releases"] }>(
          `${base}/releases?limit=${RELEASES_SHOWN}`,
          controller.signal,
        ),
      ]);
      setData({ versions: versions.items, live, releases: releases.items });
      setError(null);
    } catch (caught) {
      if (!controller.signal.aborted) {
        setError(caught instanceof Error ? caught.message : String(caught));
      }
    }
  }, [slug]);

  useEffect(() => {
    const events = new EventSource(`/apps/${slug}/events`);
    events.addEventListener("change", () => refresh());
    // After a reconnect (a restart, a dropped connection) look again: changes may have been missed.
    let opened = false;
    events.addEventListener("open", () => {
      if (opened) refresh();
      opened = true;
    });
    const poll = setInterval(refresh, POLL_MS);
    return () => {
      events.close();
      clearInterval(poll);
    };
  }, [slug, refresh]);

  // A scheduled change takes effect by the clock: look again just after the next one is due.
  const next = data.live.schedule.map((item) => Date.parse(item.at)).sort((a, b) => a - b)[0];
  useEffect(() => {
    if (next === undefined) return;
    const timer = setTimeout(refresh, Math.max(0, next - Date.now()) + 500);
    return () => clearTimeout(timer);
  }, [next, refresh]);

  return { data, error, refresh };
}
