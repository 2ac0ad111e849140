/**
 * A small typed client for the merchant API (described by the server's /api/v1/openapi.json).
 * Every CLI command goes through it, so retries, auth and error decoding live in one place.
 */
import type {
  AppInfo,
  CreatedLink,
  FileInfo,
  LinkInfo,
  LinkInput,
  LiveChange,
  ManifestEntry,
  Page,
  StatsInfo,
  StatsQuery,
  TokenInfo,
  VersionInfo,
} from "./api_types.ts";
import { ApiError } from "./errors.ts";
import { classifyNetworkError } from "./network.ts";

export interface ClientOptions {
  /** Platform origin, e.g. `https://switchyard.example`; `/api/v1` is appended. */
  url: string;
  token: string;
  /** Extra tries after the first on network errors and 5xx (default 4). */
  retries?: number;
  /** Base delay of the exponential backoff in ms (default 250). */
  backoffMs?: number;
  /** How long one try may wait for its answer, in seconds (default 60). */
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

interface Call {
  method: string;
  path: string;
  json?: unknown;
  bytes?: Uint8Array;
  /**
   * Whether sending the request twice is harmless. A rollback sent twice goes back two
   * versions, so non-idempotent calls retry only on answers that prove nothing happened.
   */
  idempotent: boolean;
}

/** Answers after which even a non-idempotent request is known not to have been applied. */
const NOT_APPLIED = new Set([429, 503]);

/** The slowest upload a request's timeout allows for (bytes a second). */
const MIN_UPLOAD_BYTES_PER_SECOND = 64 * 1024;

export class SwitchyardClient {
  readonly base: string;
  readonly #token: string;
  readonly #retries: number;
  readonly #backoffMs: number;
  readonly #timeoutSeconds: number;
  readonly #signal?: AbortSignal;

  constructor(options: ClientOptions) {
    this.base = apiBase(options.url);
    this.#token = options.token;
    this.#retries = options.retries ?? 4;
    this.#backoffMs = options.backoffMs ?? 250;
    this.#timeoutSeconds = options.timeoutSeconds ?? 60;
    this.#signal = options.signal;
  }

  listApps(limit = 100): Promise<Page<AppInfo>> {
    return this.#call({ method: "GET", path: `/apps?limit=${limit}`, idempotent: true });
  }

  createApp(slug: string, name: string): Promise<AppInfo> {
    // A retried create whose first try went through would be refused as taken: no retries.
    return this.#call({ method: "POST", path: "/apps", json: { slug, name }, idempotent: false });
  }

  async deleteApp(slug: string): Promise<void> {
    await this.#call({ method: "DELETE", path: appPath(slug), idempotent: true });
  }

  getApp(slug: string): Promise<AppInfo> {
    return this.#call({ method: "GET", path: appPath(slug), idempotent: true });
  }

  /** Every file of a version, following the pages. */
  async listFiles(slug: string, version: number): Promise<FileInfo[]> {
    const files: FileInfo[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: "100" });
      if (cursor) query.set("cursor", cursor);
      const path = `${appPath(slug)}/versions/${version}/files?${query}`;
      const page: Page<FileInfo> = await this.#call({ method: "GET", path, idempotent: true });
      files.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return files;
  }

  /** Starts a version from a manifest; the answer lists the blobs the server lacks. */
  createVersion(
    slug: string,
    input: { files: ManifestEntry[]; label?: string; message?: string },
  ): Promise<{ version: VersionInfo; missing: string[] }> {
    // A duplicate only leaves an unused `uploading` version behind, so retrying is safe.
    const path = `${appPath(slug)}/versions`;
    return this.#call({ method: "POST", path, json: input, idempotent: true });
  }

  async putBlob(slug: string, sha256: string, bytes: Uint8Array): Promise<void> {
    const path = `${appPath(slug)}/blobs/${sha256}`;
    await this.#call({ method: "PUT", path, bytes, idempotent: true });
  }

  finalize(slug: string, version: number): Promise<VersionInfo> {
    const path = `${appPath(slug)}/versions/${version}/finalize`;
    return this.#call({ method: "POST", path, idempotent: true });
  }

  listVersions(slug: string, limit = 20, cursor?: string): Promise<Page<VersionInfo>> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set("cursor", cursor);
    const path = `${appPath(slug)}/versions?${query}`;
    return this.#call({ method: "GET", path, idempotent: true });
  }

  /** `expect` undefined sends no check; `null` means "nothing is live". */
  promote(slug: string, version: number, expect?: number | null): Promise<LiveChange> {
    const json = expect === undefined ? { version } : { version, expect };
    return this.#call({ method: "PUT", path: `${appPath(slug)}/live`, json, idempotent: true });
  }

  rollback(slug: string): Promise<LiveChange> {
    return this.#call({ method: "POST", path: `${appPath(slug)}/rollback`, idempotent: false });
  }

  createLink(slug: string, version: number, input: LinkInput): Promise<CreatedLink> {
    const path = `${appPath(slug)}/versions/${version}/links`;
    return this.#call({ method: "POST", path, json: input, idempotent: false });
  }

  listLinks(slug: string, limit = 100): Promise<Page<LinkInfo>> {
    const path = `${appPath(slug)}/links?limit=${limit}`;
    return this.#call({ method: "GET", path, idempotent: true });
  }

  async revokeLink(slug: string, id: string): Promise<void> {
    const path = `${appPath(slug)}/links/${encodeURIComponent(id)}`;
    await this.#call({ method: "DELETE", path, idempotent: true });
  }

  /** Conversion per version per day; the server fills in the range and mode left out. */
  stats(slug: string, query: StatsQuery = {}): Promise<StatsInfo> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
    const path = `${appPath(slug)}/stats${params.size ? `?${params}` : ""}`;
    return this.#call({ method: "GET", path, idempotent: true });
  }

  createToken(
    name: string,
    options: { scope?: string; expires_in_days?: number } = {},
  ): Promise<TokenInfo & { token: string }> {
    const json = { name, ...options };
    return this.#call({ method: "POST", path: "/tokens", json, idempotent: false });
  }

  listTokens(limit = 100): Promise<Page<TokenInfo>> {
    return this.#call({ method: "GET", path: `/tokens?limit=${limit}`, idempotent: true });
  }

  async revokeToken(id: string): Promise<void> {
    const path = `/tokens/${encodeURIComponent(id)}`;
    await this.#call({ method: "DELETE", path, idempotent: true });
  }

  async #call<T>(call: Call): Promise<T> {
    for (let attempt = 1;; attempt++) {
      const last = attempt > this.#retries;
      let response: Response;
      const url = this.base + call.path;
      try {
        response = await fetch(url, this.#init(call));
      } catch (error) {
        if (this.#signal?.aborted) throw this.#signal.reason ?? error;
        const failure = classifyNetworkError(error, url, this.#timeoutSeconds);
        if (last || !call.idempotent || !failure.retryable) {
          const details = { cause: failure.cause, url, hint: failure.hint };
          throw new ApiError(0, "network_error", failure.message, details, attempt);
        }
        await this.#sleep(attempt);
        continue;
      }
      if (response.ok) return await decode<T>(response);
      const retryable = response.status >= 500 || response.status === 429;
      if (!last && retryable && (call.idempotent || NOT_APPLIED.has(response.status))) {
        await response.body?.cancel();
        await this.#sleep(attempt, response.headers.get("retry-after"));
        continue;
      }
      throw await errorOf(response, attempt);
    }
  }

  #init(call: Call): RequestInit {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}` };
    let body: BodyInit | undefined;
    if (call.bytes) {
      headers["content-type"] = "application/octet-stream";
      body = call.bytes as BodyInit;
    } else if (call.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(call.json);
    }
    // The wait covers sending the body too: a blob gets its time at the slowest pace the server
    // accepts (64 KiB/s, the archive route's floor) on top of the time to answer.
    const sending = call.bytes ? call.bytes.byteLength / MIN_UPLOAD_BYTES_PER_SECOND : 0;
    const timeout = AbortSignal.timeout((this.#timeoutSeconds + sending) * 1000);
    const signal = this.#signal ? AbortSignal.any([this.#signal, timeout]) : timeout;
    return { method: call.method, headers, body, signal };
  }

  /** Exponential backoff with full jitter, so many CLIs retrying do not stampede together. */
  #sleep(attempt: number, retryAfter?: string | null): Promise<void> {
    const asked = Number(retryAfter);
    const ms = Number.isFinite(asked) && asked > 0
      ? Math.min(asked * 1000, 30_000)
      : Math.random() * this.#backoffMs * 2 ** (attempt - 1);
    const signal = this.#signal;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/** `https://x.example/` and `https://x.example/api/v1` both become the API base. */
export function apiBase(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/api\/v1$/, "") + "/api/v1";
}

function appPath(slug: string): string {
  return `/apps/${encodeURIComponent(slug)}`;
}

async function decode<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  return await response.json() as T;
}

async function errorOf(response: Response, attempts: number): Promise<ApiError> {
  const text = await response.text();
  try {
    const { error } = JSON.parse(text) as {
      error: { code: string; message: string; details?: unknown };
    };
    return new ApiError(response.status, error.code, error.message, error.details, attempts);
  } catch {
    const message = `The server answered ${response.status} ${response.statusText}`.trim();
    return new ApiError(response.status, "http_error", message, text.slice(0, 200), attempts);
  }
}
