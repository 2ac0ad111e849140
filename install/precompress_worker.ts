/// <reference lib="deno.worker" />
/**
 * A precompression thread: receives a batch of files, answers their brotli and gzip variants
 * (the buffers are transferred back, not copied).
 */
import { compressSync } from "./compress.ts";

self.onmessage = (event: MessageEvent<Uint8Array[]>) => {
  const results = event.data.map(compressSync);
  const transfer = results.flatMap((result) => [result.br, result.gzip])
    .filter((part) => part !== undefined).map((part) => part.buffer as ArrayBuffer);
  self.postMessage(results, { transfer });
};
