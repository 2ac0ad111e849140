import { useEffect, useState } from "preact/hooks";
import { RelTime } from "./rel_time.tsx";

/**
 * What an island that loads its data shows meanwhile and when loading failed: a placeholder of
 * the size the content will roughly take (no jump when it arrives), and an error that names the
 * request that failed and what the server said.
 */
export type Load<T> =
  | { state: "loading" }
  | { state: "failed"; what: string; message: string }
  | { state: "ready"; data: T };

export function Loading({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="visually-hidden">{label}</span>
      {Array.from(
        { length: rows },
        (_, i) => <div class="loading-row" key={i} aria-hidden="true" />,
      )}
    </div>
  );
}

export function Failed({ what, message, retry }: {
  what: string;
  message: string;
  retry?: () => void;
}) {
  return (
    <div class="error-box" role="alert">
      <strong>Could not {what}.</strong> {message}
      {retry && (
        <div>
          <button type="button" class="button small" onClick={retry}>Try again</button>
        </div>
      )}
    </div>
  );
}

/** The moment relative times are measured from, and the locale they are told in. */
export interface Clock {
  now: number;
  locale: string;
}

/**
 * "3 minutes ago", the full time on hover. The first render uses the server's clock and the
 * locale the browser asked for (`clock`), so hydration finds the HTML it made; after it, the
 * browser's own clock and `navigator.language` take over.
 */
export function Ago({ iso, clock }: { iso: string; clock: Clock }) {
  const [{ now, locale }, setClock] = useState(clock);
  useEffect(() => setClock({ now: Date.now(), locale: navigator.language }), []);
  return <RelTime iso={iso} now={now} locale={locale} />;
}
