/**
 * Reads a request body into memory, refusing it as soon as it passes `max` bytes — whatever
 * Content-Length claimed, so a chunked upload cannot grow without bound.
 */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  max: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const part of body) {
    total += part.byteLength;
    if (total > max) {
      await body.cancel().catch(() => {});
      throw tooLarge();
    }
    parts.push(part);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
