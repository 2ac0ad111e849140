/**
 * Opens the KV store. A local SQLite file must only ever be opened by one process (two writers
 * see "database is locked"), which `openKv` does not prevent by itself.
 */
export async function openKv(path: string): Promise<Deno.Kv> {
  if (path === ":memory:" || /^https?:\/\//.test(path)) return await Deno.openKv(path);
  const folder = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
  await Deno.mkdir(folder, { recursive: true });
  return await Deno.openKv(path);
}

/** Describes the backend for the start-up log, never printing a token. */
export function describeKv(path: string): string {
  if (path === ":memory:") return "in-memory KV (nothing is kept after exit)";
  if (/^https?:\/\//.test(path)) return `KV Connect at ${new URL(path).host}`;
  return `local SQLite KV at ${path}`;
}
