/**
 * "Now" for relative times in an island: the server's clock for the first render (so the HTML
 * hydrates without a change), then the browser's, read again every 30 s and with each new `data`.
 */
import { useEffect, useState } from "preact/hooks";

export function useClock(serverNow: number, data: unknown): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  // New data carries new times: read the clock with it, or "just now" would read "in 1 second".
  useEffect(() => setNow(Date.now()), [data]);
  return now;
}
