/**
 * Whether a request reached Switchyard over HTTPS. Behind a TLS-terminating proxy (what
 * docs/OPERATING.md recommends) Deno sees plain HTTP, and only the proxy can say how the shopper
 * came: in RFC 7239 `Forwarded: proto=` or in `X-Forwarded-Proto`. Anyone can send those headers,
 * so they are believed only when the TCP peer is the proxy named by `SWITCHYARD_TRUSTED_PROXY`.
 */
import type { AddressRanges } from "../lib/addresses.ts";

/**
 * True when the request URL is https, or when its TCP peer (`info.remoteAddr`) is in `trusted`
 * and the forwarded protocol is `https`. Without `info` (a request made in-process) only the
 * URL counts.
 */
export function requestIsHttps(
  request: Request,
  info: Deno.ServeHandlerInfo | undefined,
  trusted: AddressRanges | null,
): boolean {
  if (request.url.startsWith("https:")) return true;
  if (trusted === null || info === undefined) return false;
  const peer = info.remoteAddr;
  if (peer.transport !== "tcp" || !trusted.has(peer.hostname)) return false;
  return forwardedProto(request.headers) === "https";
}

/**
 * Where a request comes from, for per-client limits: the TCP peer, or behind the trusted proxy
 * the last address it appended to `X-Forwarded-For`; "in-process" for a request without `info`.
 */
export function clientAddress(
  request: Request,
  info: Deno.ServeHandlerInfo | undefined,
  trusted: AddressRanges | null,
): string {
  if (info === undefined || info.remoteAddr.transport !== "tcp") return "in-process";
  const peer = info.remoteAddr.hostname;
  if (trusted === null || !trusted.has(peer)) return peer;
  const forwarded = request.headers.get("x-forwarded-for");
  const last = forwarded?.slice(forwarded.lastIndexOf(",") + 1).trim();
  return last || peer;
}

/**
 * The country the trusted proxy (Cloudflare's `CF-IPCountry`, or `X-Country-Code`) says the
 * client is in: an ISO 3166 code, or null. Only from the proxy named by
 * `SWITCHYARD_TRUSTED_PROXY`: anyone else can send the header, so from them it means nothing.
 */
export function proxyCountry(
  request: Request,
  info: Deno.ServeHandlerInfo | undefined,
  trusted: AddressRanges | null,
): string | null {
  if (trusted === null || info === undefined || info.remoteAddr.transport !== "tcp") return null;
  if (!trusted.has(info.remoteAddr.hostname)) return null;
  const headers = request.headers;
  const country = headers.get("cf-ipcountry") ?? headers.get("x-country-code") ?? "";
  return /^[A-Z]{2}$/.test(country) && country !== "XX" ? country : null;
}

/**
 * The protocol the nearest proxy reports, lowercased: the `proto` of the last element of
 * `Forwarded` (a proxy appends its own element, so the last is the trusted peer's), else the
 * last value of `X-Forwarded-Proto`. Null when neither says.
 */
export function forwardedProto(headers: Headers): string | null {
  const forwarded = headers.get("forwarded");
  const proto = forwarded === null ? null : lastElementProto(forwarded);
  if (proto !== null) return proto;
  const header = headers.get("x-forwarded-proto");
  if (header === null) return null;
  return header.slice(header.lastIndexOf(",") + 1).trim().toLowerCase() || null;
}

/**
 * RFC 7239 §4: elements are separated by commas, their `name=value` pairs by semicolons, and a
 * value is a token or a quoted string (which may hold either separator).
 */
function lastElementProto(header: string): string | null {
  let proto: string | null = null;
  let pairStart = 0;
  let quoted = false;
  for (let i = 0; i <= header.length; i++) {
    const c = header[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') {
      quoted = true;
    } else if (c === ";" || c === "," || c === undefined) {
      proto = protoOfPair(header.slice(pairStart, i)) ?? proto;
      if (c === ",") proto = null;
      pairStart = i + 1;
    }
  }
  return quoted ? null : proto;
}

function protoOfPair(pair: string): string | null {
  const eq = pair.indexOf("=");
  if (eq === -1 || pair.slice(0, eq).trim().toLowerCase() !== "proto") return null;
  let value = pair.slice(eq + 1).trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
    value = value.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return value.toLowerCase() || null;
}
