/**
 * Runs the real program (`main.ts`) as a subprocess, as an operator would, with the permissions
 * a test chooses, and reads its JSON log lines. For what only a whole process shows: signals,
 * the KV file lock, start-up without a build, the permissions Deno Deploy grants.
 */
import http from "node:http";

export const PROCESS_TOKEN = "sy_process_" + "p".repeat(40);

/** What Deno Deploy grants, and no more (no write, run, ffi or sys). */
export const DEPLOY_PERMISSIONS = ["--allow-net", "--allow-env", "--allow-read", "--no-prompt"];
/** A local run with a SQLite file: Deploy's permissions plus writing. */
export const LOCAL_PERMISSIONS = [...DEPLOY_PERMISSIONS, "--allow-write"];

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export interface SwitchyardProcess {
  pid: number;
  port: number;
  /** Every line so far, stdout and stderr; lines that are not JSON come as `{raw}`. */
  lines: LogLine[];
  waitForLine(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Whether the process started listening (false: it exited first). */
  listening: boolean;
  exited: Promise<Deno.CommandStatus>;
  signal(signal: Deno.Signal): void;
  /** Kills it if still running and waits for the exit. */
  stop(): Promise<void>;
}

export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  permissions?: string[];
  /**
   * Default `main.ts`, which runs the start bundle when the build made one of these sources;
   * `program.ts` runs the program from source whatever `_start/` holds.
   */
  entry?: "main.ts" | "program.ts";
}

/** Starts `main.ts` and waits until it listens or exits. */
export async function spawnSwitchyard(options: SpawnOptions = {}): Promise<SwitchyardProcess> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...(options.permissions ?? LOCAL_PERMISSIONS), options.entry ?? "main.ts"],
    cwd: new URL("../../", import.meta.url),
    env: {
      PORT: String(port),
      SWITCHYARD_KV: ":memory:",
      SWITCHYARD_DEMO: "0",
      SWITCHYARD_BOOTSTRAP_TOKEN: PROCESS_TOKEN,
      SWITCHYARD_PLATFORM_HOST: "127.0.0.1",
      SWITCHYARD_APPS_DOMAIN: "localhost",
      NO_COLOR: "1",
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const line of readLines(stream)) {
      lines.push(parseLine(line));
      for (const wake of waiters) wake();
    }
  };
  const reading = Promise.all([collect(child.stdout), collect(child.stderr)]);
  const exited = reading.then(() => child.status);
  const waitForLine = (match: (line: LogLine) => boolean, timeoutMs = 20_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const line = lines.find(match);
        if (!line) return false;
        finish();
        resolve(line);
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`No such log line within ${timeoutMs} ms:\n${JSON.stringify(lines)}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      if (!check()) waiters.add(check);
    });
  const started = await Promise.race([
    waitForLine((line) => line.msg === "Switchyard is listening", 60_000).then(() => true),
    exited.then(() => false),
  ]);
  return {
    pid: child.pid,
    port,
    lines,
    waitForLine,
    listening: started,
    exited,
    signal: (signal) => child.kill(signal),
    async stop() {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already exited.
      }
      await exited;
    },
  };
}

async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const bytes of stream) {
    const parts = (rest + decoder.decode(bytes, { stream: true })).split("\n");
    rest = parts.pop()!;
    yield* parts.filter((part) => part.trim() !== "");
  }
  if (rest.trim()) yield rest;
}

function parseLine(line: string): LogLine {
  try {
    const value = JSON.parse(line);
    if (value && typeof value === "object") return value;
  } catch {
    // Not JSON: kept as is.
  }
  return { raw: line };
}

export interface SlowRequest {
  /** Sends the rest of the body and ends the request. */
  finish(): void;
  response: Promise<{ status: number; body: string }>;
}

/**
 * Starts a request whose body arrives in two parts: the first now, the rest on `finish()` — a
 * request that is in flight for as long as the test wants.
 */
export function slowRequest(
  port: number,
  request: { method: string; path: string; host: string; headers?: Record<string, string> },
  body: Uint8Array,
): SlowRequest {
  const half = Math.floor(body.byteLength / 2);
  let finish = () => {};
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port,
      method: request.method,
      path: request.path,
      headers: {
        host: request.host,
        "content-length": String(body.byteLength),
        ...request.headers,
      },
      agent: false,
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (part: string) => text += part);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.write(body.subarray(0, half));
    finish = () => req.end(body.subarray(half));
  });
  // A test that fails before awaiting it must not also report an unhandled rejection.
  response.catch(() => {});
  return { finish: () => finish(), response };
}
