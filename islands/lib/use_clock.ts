/**
 * "Now" for relative times in an island: the server's clock for the first render (so the HTML
 * hydrates without a change), then the browser's, ticking every 30 s.
 */
import { useEffect, useState } from "preact/hooks";

export function useClock(serverNow: number): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
