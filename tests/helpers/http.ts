/**
 * An HTTP/1.1 client for tests that can send any Host header. Deno's `fetch` replaces Host
 * with the URL's authority and `*.localhost` names do not resolve here, so app hosts are
 * reached through `node:http` against 127.0.0.1 (still the real server on a real socket).
 */
import http from "node:http";

export interface RawResponse {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  text(): string;
  json<T = unknown>(): T;
}

export interface RawRequest {
  method?: string;
  path: string;
  host: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

export function rawRequest(port: number, request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port,
      method: request.method ?? "GET",
      path: request.path,
      headers: { host: request.host, ...request.headers },
      agent: false,
    }, (res) => {
      const parts: Uint8Array[] = [];
      res.on("data", (part: Uint8Array) => parts.push(part));
      res.on("end", () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of Array.isArray(value) ? value : [value ?? ""]) headers.append(name, one);
        }
        const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
        const bytes = new Uint8Array(total);
        let offset = 0;
        for (const part of parts) {
          bytes.set(part, offset);
          offset += part.byteLength;
        }
        const text = () => new TextDecoder().decode(bytes);
        resolve({
          status: res.statusCode ?? 0,
          headers,
          bytes,
          text,
          json: () => JSON.parse(text()),
        });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}
