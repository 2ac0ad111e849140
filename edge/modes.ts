/**
 * The two ways the edge serves an app's files (DESIGN "Edge"). Live traffic gets the file to the
 * letter of HTTP (validators, 304, ranges) and skew protection; a preview gets the whole file,
 * never cached, with its banner on pages, and is counted as test traffic. The version selection
 * (`select.ts`) picks one and the request carries it (`EdgeContext.mode`).
 */
import type { Mode } from "./context.ts";
import { PREVIEW_HEADERS } from "./preview.ts";
import { servePreview } from "./preview_serve.ts";
import { sendFile } from "./respond.ts";

export const LIVE: Mode = {
  name: "live",
  send: sendFile,
  bucket: (files, counters) =>
    files.liveBucket ??= counters.bucket(files.app.id, files.version, "live"),
  skew: true,
  headers: [],
};

export const PREVIEW: Mode = {
  name: "test",
  send: servePreview,
  bucket: (files, counters) =>
    files.testBucket ??= counters.bucket(files.app.id, files.version, "test"),
  // A preview shows exactly the version of its link.
  skew: false,
  headers: PREVIEW_HEADERS,
};
