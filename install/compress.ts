/**
 * The compression itself: brotli q5 and gzip 6 of one file, each variant kept only when clearly
 * smaller (the budget and measurements behind these numbers are in precompress.ts). Apart from
 * the worker pool so that a worker thread can load it without loading the pool.
 */
import zlib from "node:zlib";

export interface Compressed {
  br?: Uint8Array;
  gzip?: Uint8Array;
}

/** Below this a variant saves less than its own response headers weigh. */
export const MIN_COMPRESS_BYTES = 256;
/** A variant must save at least this share of the file to be worth another representation. */
const MIN_SAVING = 0.05;

const BROTLI_QUALITY = 5;
const GZIP_LEVEL = 6;

/**
 * Media types worth compressing: text, and binary formats that are not compressed already
 * (WebAssembly, uncompressed fonts, icons). Images, woff2, zip and video are compressed by
 * their format; compressing them again only costs time.
 */
export function isCompressible(contentType: string): boolean {
  const type = contentType.split(";")[0].trim().toLowerCase();
  return type.startsWith("text/") || COMPRESSIBLE.has(type) || type.endsWith("+json") ||
    type.endsWith("+xml");
}

const COMPRESSIBLE = new Set([
  "application/javascript",
  "application/json",
  "application/xml",
  "application/wasm",
  "application/x-javascript",
  "font/ttf",
  "font/otf",
  "image/bmp",
  "image/svg+xml",
  "image/vnd.microsoft.icon",
  "image/x-icon",
]);

/** Compresses `bytes` both ways on this thread; each variant only when it is small enough. */
export function compressSync(bytes: Uint8Array): Compressed {
  const keep = (out: Uint8Array) =>
    out.byteLength <= bytes.byteLength * (1 - MIN_SAVING) ? out : undefined;
  const br = zlib.brotliCompressSync(bytes, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    },
  });
  const gzip = zlib.gzipSync(bytes, { level: GZIP_LEVEL });
  return { br: keep(new Uint8Array(br)), gzip: keep(new Uint8Array(gzip)) };
}
