/**
 * How islands talk to the platform: same-origin `fetch` with the session cookie (the API takes
 * it from our own pages: routes/api/mod.ts), and the API's error JSON turned into a sentence.
 */

/** Calls `/api/v1<path>` (or any same-origin path starting with `/`) with a JSON body. */
export function postJson(path: string, body: unknown, method = "POST"): Promise<Response> {
  return fetch(path.startsWith("/api/") || path.startsWith("/auth/") ? path : `/api/v1${path}`, {
    method,
    credentials: "same-origin",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** GETs `/api/v1<path>` as JSON; throws the API's message on an error answer. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(`/api/v1${path}`, {
    credentials: "same-origin",
    headers: { accept: "application/json" },
    signal,
  });
  if (!response.ok) throw new Error(await apiError(response));
  return await response.json() as T;
}

/** The API's error as words: its message, and each detail (`field: message`) after it. */
export async function apiError(response: Response): Promise<string> {
  try {
    const body = await response.json() as {
      error?: { message?: string; details?: { field?: string; path?: string; message: string }[] };
    };
    const message = body.error?.message ?? `The server answered ${response.status}`;
    const details = (body.error?.details ?? []).map((d) =>
      `${d.field ?? d.path ?? ""}${d.field || d.path ? ": " : ""}${d.message}`
    );
    return details.length ? `${message} — ${details.join("; ")}` : message;
  } catch {
    return `The server answered ${response.status} ${response.statusText}`;
  }
}
