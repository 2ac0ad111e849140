/** The API's error mapper: each kind's status, and the code and body each error is answered. */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import {
  BadRequestError,
  ConflictError,
  type DomainError,
  type ErrorKind,
  ForbiddenError,
  NotFoundError,
  PackageError,
  RateLimitedError,
  TimedOutError,
  TooLargeError,
  UnauthenticatedError,
  UnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../lib/errors.ts";
import { createLogger } from "../lib/log.ts";
import {
  errorHandler,
  errorResponse,
  notFound,
  toErrorStatus,
  validationResponse,
} from "./errors.ts";

Deno.test("toErrorStatus() gives every kind the status the API answers", () => {
  // A Record over ErrorKind: a kind added without a row here fails the type check.
  const expected: Record<ErrorKind, number> = {
    bad_request: 400,
    unauthenticated: 401,
    forbidden: 403,
    not_found: 404,
    conflict: 409,
    too_large: 413,
    unsupported_media_type: 415,
    invalid_input: 422,
    rate_limited: 429,
    timed_out: 408,
    unavailable: 503,
    payment_failed: 402,
  };
  for (const [kind, status] of Object.entries(expected)) {
    assert.equal(toErrorStatus(kind as ErrorKind), status, kind);
  }
});

Deno.test("errorResponse() answers each error with its kind's status and its own code", async () => {
  const cases: [DomainError, number, string][] = [
    [new BadRequestError("Malformed"), 400, "bad_request"],
    [new UnauthenticatedError(), 401, "unauthorized"],
    [
      new ForbiddenError('Forbidden: this token\'s scope "read" does not allow "deploy"'),
      403,
      "forbidden",
    ],
    [new NotFoundError('No such app: "shop"'), 404, "not_found"],
    [new ConflictError('App slug is taken: "shop"', "slug_taken"), 409, "slug_taken"],
    [new TooLargeError("JSON body is larger than 10 bytes"), 413, "too_large"],
    [new UnsupportedMediaTypeError('Send a zip, not: "text/plain"'), 415, "unsupported_media_type"],
    [new ValidationError('Invalid cursor: "x"'), 422, "validation_failed"],
    [
      new RateLimitedError("Other packages are installing", "too_many_uploads", 5),
      429,
      "too_many_uploads",
    ],
    [
      new TimedOutError('The upload stopped sending: "10 s" without a byte', "upload_stalled"),
      408,
      "upload_stalled",
    ],
    [
      new UnavailableError("Storage is being cleaned up", "storage_maintenance"),
      503,
      "storage_maintenance",
    ],
    [
      new PackageError("path_escape", 'Package entry escapes: "../a"', "../a"),
      422,
      "package_path_escape",
    ],
    [
      new PackageError("file_too_large", "Too big", "a.bin", "too_large"),
      413,
      "package_file_too_large",
    ],
    [
      new PackageError("corrupt_archive", "Not a zip", undefined, "bad_request"),
      400,
      "package_corrupt_archive",
    ],
  ];
  for (const [error, status, code] of cases) {
    const response = errorResponse(error);
    assert.equal(response.status, status, error.message);
    assert.deepEqual((await response.json()).error, {
      code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    });
  }
});

Deno.test("a package refusal names its rule and entry in details", async () => {
  const response = errorResponse(new PackageError("path_escape", "Escapes", "../a"));
  assert.deepEqual((await response.json()).error.details, { rule: "path_escape", entry: "../a" });
});

Deno.test("a rate-limited answer says when to retry; an unavailable one is never stored", () => {
  const limited = errorResponse(new RateLimitedError("Busy", "too_many_uploads", 5));
  assert.equal(limited.headers.get("retry-after"), "5");
  const unavailable = errorResponse(new UnavailableError("Cleaning up", "storage_maintenance"));
  assert.equal(unavailable.headers.get("cache-control"), "no-store");
  assert.equal(errorResponse(new NotFoundError("Gone")).headers.get("cache-control"), null);
});

Deno.test("a failed validation is 422 listing every failing field", async () => {
  const result = z.object({ slug: z.string(), name: z.string() }).safeParse({ slug: 1 });
  assert.ok(!result.success);
  const response = validationResponse(result.error, "json");
  assert.equal(response.status, 422);
  const { error } = await response.json();
  assert.equal(error.code, "validation_failed");
  assert.equal(error.message, 'Invalid json: check "slug", "name"');
  assert.deepEqual(error.details.map((d: { field: string }) => d.field), ["slug", "name"]);
});

Deno.test("the refusals Hono and zod-openapi throw are answered as their kinds", async () => {
  const app = new Hono();
  app.post("/media", () => {
    throw new HTTPException(415, { message: "Unsupported Media Type" });
  });
  app.post("/json", () => {
    throw new HTTPException(400, { message: "Malformed JSON in request body" });
  });
  app.post("/syntax", () => {
    throw new SyntaxError("Unexpected end of JSON input");
  });
  app.onError(errorHandler(createLogger({ write: () => {} })));
  app.notFound(notFound);
  const answer = async (path: string) => {
    const init = { method: "POST", headers: { "content-type": "text/csv" } };
    const response = await app.request(path, init);
    return [response.status, (await response.json()).error];
  };
  assert.deepEqual(await answer("/media"), [415, {
    code: "unsupported_media_type",
    message: 'This endpoint does not accept Content-Type: "text/csv" ' +
      "(the accepted types are listed in /api/v1/openapi.json)",
  }]);
  assert.deepEqual(await answer("/json"), [400, {
    code: "bad_request",
    message: "Malformed JSON in request body",
  }]);
  assert.deepEqual(await answer("/syntax"), [400, {
    code: "malformed_json",
    message: "Malformed JSON body: Unexpected end of JSON input",
  }]);
  assert.deepEqual(await answer("/nope"), [404, {
    code: "not_found",
    message: "No such endpoint: POST /nope",
  }]);
});
