// The shopper API on this store's own origin (/api/v1, Comecero's REST conventions), with a
// limited token. The token and the cart id live in the `token` and `cart_id` cookies, the names
// Comecero's own client uses: when a test link switches this browser to test mode, the platform
// clears them, and this store starts over with a test token as a Comecero cart would.

const settings = globalThis.__settings ?? {};
const account = settings.account ?? {};

/** An answer that is not 2xx, in Comecero's error shape: `{error: {code, message, status}}`. */
export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || "Something went wrong. Please try again.");
    this.status = status;
    this.code = error?.code ?? "unspecified_error";
  }
}

export function cookie(name) {
  const match = document.cookie.match(new RegExp(`(?:^|;\\s*)${name}=([^;]*)`));
  return match ? decodeURIComponent(match[1]) : null;
}

export function setCookie(name, value, seconds) {
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = value === null
    ? `${name}=; Max-Age=0; Path=/; SameSite=Lax`
    : `${name}=${encodeURIComponent(value)}; Max-Age=${seconds}; Path=/; SameSite=Lax${secure}`;
}

/** Without the header, the token cookie lasts 14 days, as Comecero's client keeps it. */
const DEFAULT_LIFETIME = 14 * 86400;

function lifetime(response) {
  const seconds = Number.parseInt(response.headers.get("x-token-expires-in-seconds"), 10);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_LIFETIME;
}

let pendingToken = null;

/** A new limited token; a new token owns no cart, so the cart id goes. */
function authorize() {
  pendingToken ??= (async () => {
    const query = new URLSearchParams({ timezone: "UTC" });
    if (account.account_id) query.set("account_id", account.account_id);
    if (account.test === true) query.set("test", "true");
    const response = await fetch(`/api/v1/auths/limited?${query}`, { method: "POST" });
    const body = await response.json().catch(() => null);
    if (!response.ok || typeof body?.token !== "string") {
      throw new ApiError(response.status, body?.error);
    }
    setCookie("token", body.token, lifetime(response));
    setCookie("cart_id", null);
    return body.token;
  })().finally(() => (pendingToken = null));
  return pendingToken;
}

/**
 * Calls the shopper API: `path` below /api/v1, a JSON `body` for POSTs. A 401 means the token
 * is gone (expired, or another mode's): one new token and one more try.
 */
export async function api(method, path, body, headers = {}, retried = false) {
  const token = cookie("token") ?? await authorize();
  const init = { method, headers: { authorization: `Bearer ${token}`, ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["content-type"] = "application/json";
  }
  const response = await fetch(`/api/v1${path}`, init);
  const data = await response.json().catch(() => null);
  if (response.status === 401 && !retried) {
    setCookie("token", null);
    return api(method, path, body, headers, true);
  }
  if (!response.ok) throw new ApiError(response.status, data?.error);
  setCookie("token", token, lifetime(response));
  return data;
}
