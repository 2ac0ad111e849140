/** Navigates to `url` once the page has hydrated (replacing the page in history). */
import { useEffect } from "preact/hooks";

export default function GoTo({ url }: { url: string }) {
  useEffect(() => {
    location.replace(url);
  }, [url]);
  return null;
}
