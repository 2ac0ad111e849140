/**
 * The one handler of the program: the platform host gets the platform app (API, admin), every
 * other host the edge (DESIGN "Shape of the program").
 */
import { Hono } from "hono";
import type { Config } from "./config.ts";
import { createEdge, type Edge } from "./edge/handler.ts";
import { apiApp } from "./routes/api/mod.ts";
import { notFound, onError } from "./routes/errors.ts";

export interface Switchyard {
  fetch(request: Request): Promise<Response>;
  edge: Edge;
  close(): Promise<void>;
}

export function platformApp(kv: Deno.Kv, config: Config) {
  const app = new Hono();
  app.route("/api/v1", apiApp(kv, config));
  app.get("/", (c) =>
    c.json({
      name: "Switchyard",
      api: "/api/v1",
      openapi: "/api/v1/openapi.json",
    }));
  app.onError(onError);
  app.notFound(notFound);
  return app;
}

/** Host name of a request without the port, lowercased. */
export function hostOf(request: Request): string {
  const host = request.headers.get("host") ?? new URL(request.url).host;
  const colon = host.lastIndexOf(":");
  const bare = colon > host.lastIndexOf("]") ? host.slice(0, colon) : host;
  return bare.toLowerCase();
}

export function createSwitchyard(kv: Deno.Kv, config: Config): Switchyard {
  const platform = platformApp(kv, config);
  const edge = createEdge(kv, config);
  return {
    edge,
    fetch(request) {
      const host = hostOf(request);
      if (host === config.platformHost) return Promise.resolve(platform.fetch(request));
      return edge.handle(request, host);
    },
    close: () => edge.close(),
  };
}
