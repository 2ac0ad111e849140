/**
 * Sending bytes with progress: `fetch` reports none for uploads, so blobs and archives go by
 * XMLHttpRequest, which does (`upload.onprogress`) and can be aborted.
 */

export interface Sent {
  status: number;
  body: string;
}

/** Sends `body`; `onBytes` gets the bytes of this request sent so far. */
export function send(
  method: string,
  url: string,
  body: Blob,
  contentType: string,
  onBytes: (sent: number) => void,
  signal: AbortSignal,
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, url);
    request.setRequestHeader("content-type", contentType);
    request.setRequestHeader("accept", "application/json");
    request.upload.onprogress = (event) => onBytes(event.loaded);
    request.onload = () => {
      onBytes(body.size);
      resolve({ status: request.status, body: request.responseText });
    };
    request.onerror = () => reject(new Error("The connection to the server failed"));
    request.onabort = () => reject(new DOMException("Cancelled", "AbortError"));
    signal.addEventListener("abort", () => request.abort(), { once: true });
    request.send(body);
  });
}

/** Runs `task` over `items`, `limit` at a time; stops starting new ones once `signal` aborts. */
export async function pool<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      signal.throwIfAborted();
      await task(items[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

interface ApiRefusal {
  message: string;
  details?: unknown;
}

/** The API's refusal as a sentence and its entries, each in words; `paths` names `files.N`. */
export function refusal(sent: Sent, paths: string[] = []): { message: string; entries: string[] } {
  try {
    const { error } = JSON.parse(sent.body) as { error: ApiRefusal };
    const details = error.details;
    const entries: string[] = [];
    if (Array.isArray(details)) {
      for (const item of details as { field?: string; message?: string }[]) {
        const index = /^files\.(\d+)/.exec(item.field ?? "")?.[1];
        const where = index !== undefined ? paths[Number(index)] ?? item.field : item.field;
        entries.push(where ? `${where}: ${item.message}` : String(item.message));
      }
    } else if (details && typeof details === "object" && "entry" in details) {
      entries.push(`${(details as { entry: string }).entry}: ${error.message}`);
    }
    if (entries.length === 0) return { message: error.message, entries };
    return { message: "The server refused this package:", entries };
  } catch {
    return { message: `The server answered ${sent.status}`, entries: [] };
  }
}
