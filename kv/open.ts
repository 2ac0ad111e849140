/**
 * Opens the KV store `SWITCHYARD_KV` names: a local SQLite file, `:memory:`, a KV Connect URL
 * (a denokv server shared by several machines) or `deploy` (the database Deno Deploy attaches to
 * the app).
 *
 * A SQLite file must only ever be opened by one process: several writers on one file see most
 * commits fail with "database is locked", and `Deno.openKv` does not prevent it. So a file is
 * opened only under an exclusive lock on `<file>.lock` beside it. The lock is an advisory
 * `flock`, which the kernel drops when its process dies, so a crash never leaves a stale lock.
 */

/** `SWITCHYARD_KV` value for the KV database of the Deno Deploy app (`Deno.openKv()`). */
export const DEPLOY_KV = "deploy";

export type KvBackend =
  | { kind: "memory" }
  | { kind: "sqlite"; path: string }
  | { kind: "connect"; url: URL }
  | { kind: "deploy" };

export interface KvStore {
  kv: Deno.Kv;
  backend: KvBackend;
  /** Closes KV and releases the file lock. */
  close(): void;
}

/** A second process asked for a SQLite file that a running Switchyard holds. */
export class KvInUseError extends Error {
  constructor(readonly path: string, readonly pid: number | null) {
    super(
      `"SWITCHYARD_KV" file is in use by another Switchyard process ` +
        `(pid ${pid ?? "unknown"}): "${path}"`,
    );
    this.name = "KvInUseError";
  }
}

export function kvBackend(value: string): KvBackend {
  if (value === ":memory:") return { kind: "memory" };
  if (value === DEPLOY_KV) return { kind: "deploy" };
  if (/^https?:\/\//.test(value)) return { kind: "connect", url: new URL(value) };
  return { kind: "sqlite", path: value };
}

export async function openKv(value: string): Promise<KvStore> {
  const backend = kvBackend(value);
  if (backend.kind !== "sqlite") {
    // Deno Deploy's database is the one `Deno.openKv()` opens without a path.
    const kv = await Deno.openKv(backend.kind === "deploy" ? undefined : value);
    return { kv, backend, close: () => kv.close() };
  }
  const slash = backend.path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(backend.path.slice(0, slash), { recursive: true });
  const lock = await lockFile(backend.path);
  let kv: Deno.Kv;
  try {
    kv = await Deno.openKv(backend.path);
  } catch (error) {
    lock.close();
    throw error;
  }
  return {
    kv,
    backend,
    close() {
      kv.close();
      lock.close();
    },
  };
}

/** Takes the exclusive lock beside `path` and writes our pid into it, or throws `KvInUseError`. */
async function lockFile(path: string): Promise<Deno.FsFile> {
  const lockPath = `${path}.lock`;
  // Not truncated on open: the holder's pid in it is what the refusal message names.
  const file = await Deno.open(lockPath, { read: true, write: true, create: true });
  if (!(await file.tryLock(true))) {
    file.close();
    const pid = Number.parseInt(await Deno.readTextFile(lockPath).catch(() => ""), 10);
    throw new KvInUseError(path, Number.isSafeInteger(pid) ? pid : null);
  }
  await file.truncate(0);
  await file.write(new TextEncoder().encode(`${Deno.pid}\n`));
  return file;
}

/** Describes the backend for the start-up log: never a token, nor a URL's credentials or query. */
export function describeKv(backend: KvBackend): string {
  switch (backend.kind) {
    case "memory":
      return "in-memory KV (nothing is kept after exit)";
    case "sqlite":
      return `local SQLite KV at ${backend.path}`;
    case "connect":
      return `KV Connect at ${backend.url.protocol}//${backend.url.host}${backend.url.pathname}`;
    case "deploy":
      return "Deno Deploy KV (the database attached to this app)";
  }
}

/**
 * Whether KV answers a strong read within `timeoutMs` (for the health endpoint). It lists one
 * entry from the start of the key space, so it needs no key of its own.
 */
export async function pingKv(kv: Deno.Kv, timeoutMs = 2000): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => timer = setTimeout(resolve, timeoutMs, false));
  const read = (async () => {
    for await (const _ of kv.list({ prefix: [] }, { limit: 1 })) break;
    return true;
  })().catch(() => false);
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
