/**
 * Deterministic synthetic storefront packages for benchmarks: a mix of compressible text
 * (JS, CSS, HTML, JSON) and incompressible binary (images), in nested folders, like a real
 * build output. The same seed always gives the same bytes.
 */

export interface GeneratedPackage {
  files: Map<string, Uint8Array>;
  bytes: number;
}

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "cart",
  "price",
  "product",
  "checkout",
  "render",
  "state",
  "items",
  "total",
  "const",
  "function",
  "return",
  "await",
  "props",
  "useState",
  "currency",
];

function textBytes(size: number, random: () => number): Uint8Array {
  let text = "";
  while (text.length < size) {
    text += WORDS[Math.floor(random() * WORDS.length)] + (random() < 0.1 ? ";\n" : " ");
  }
  return new TextEncoder().encode(text.slice(0, size));
}

function binaryBytes(size: number, random: () => number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.floor(random() * 256);
  return out;
}

/** `size` incompressible bytes, the same for the same seed. */
export function noiseBytes(size: number, seed: number): Uint8Array<ArrayBuffer> {
  return binaryBytes(size, prng(seed)) as Uint8Array<ArrayBuffer>;
}

/** `count` files totalling about `totalBytes`; 60 % of the bytes text, 40 % binary. */
export function generatePackage(
  count = 2000,
  totalBytes = 20 * 1024 * 1024,
  seed = 7,
): GeneratedPackage {
  const random = prng(seed);
  const files = new Map<string, Uint8Array>();
  const average = Math.floor(totalBytes / count);
  let bytes = 0;
  files.set("index.html", textBytes(2048, random));
  for (let i = 1; i < count; i++) {
    const size = Math.max(64, Math.floor(average * (0.25 + random() * 1.5)));
    const binary = i % 5 < 2;
    const folder = `assets/${binary ? "img" : "js"}/${i % 40}`;
    const path = binary
      ? `${folder}/image-${i}.png`
      : `${folder}/chunk-${i}.${["js", "css", "json"][i % 3]}`;
    const data = binary ? binaryBytes(size, random) : textBytes(size, random);
    files.set(path, data);
    bytes += data.byteLength;
  }
  return { files, bytes: bytes + 2048 };
}

/** Writes a package into a fresh temporary folder (for the CLI benchmarks). */
export async function writePackage(pkg: GeneratedPackage): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "switchyard-bench-" });
  for (const [path, data] of pkg.files) {
    const full = `${dir}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(full, data);
  }
  return dir;
}
