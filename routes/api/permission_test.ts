import assert from "node:assert/strict";
import { createRoute, z } from "@hono/zod-openapi";
import { apiRouter } from "./env.ts";
import { assertEveryEndpointNeeds, needs } from "./permission.ts";

const route = (path: string) => ({
  method: "get" as const,
  path,
  responses: { 200: { description: "ok", content: { "text/plain": { schema: z.string() } } } },
});

Deno.test("an endpoint that declares no permission stops the API from being built", () => {
  const declared = apiRouter().openapi(
    createRoute({ ...needs("read"), ...route("/declared") }),
    (c) => c.text("ok", 200),
  );
  assertEveryEndpointNeeds(declared.routes);
  const forgotten = apiRouter().openapi(createRoute(route("/forgotten")), (c) => c.text("ok", 200));
  assert.throws(
    () => assertEveryEndpointNeeds([...declared.routes, ...forgotten.routes]),
    /declare no permission \(add needs\(\)\): GET \/forgotten$/,
  );
});
