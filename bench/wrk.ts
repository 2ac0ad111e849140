/**
 * Load generation with wrk (Debian's package), server and load pinned to different cores so
 * the two do not fight for one: the server process on core 0, wrk on core 1.
 */

export interface WrkResult {
  requestsPerSecond: number;
  bytesPerSecond: number;
  p99Ms: number;
}

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

function parse(output: string): WrkResult {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  const transfer = /Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/.exec(output);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(output);
  if (!rps || !transfer) throw new Error(`Unexpected wrk output:\n${output}`);
  // A benchmark of error pages measures nothing: every answer must be a 2xx or 3xx.
  if (/Non-2xx or 3xx responses/.test(output)) throw new Error(`wrk saw errors:\n${output}`);
  const p99Ms = p99 ? Number(p99[1]) * (p99[2] === "us" ? 0.001 : p99[2] === "s" ? 1000 : 1) : NaN;
  return {
    requestsPerSecond: rps,
    bytesPerSecond: Number(transfer[1]) * UNITS[transfer[2]],
    p99Ms,
  };
}

export async function wrk(
  url: string,
  host: string,
  seconds = 5,
  connections = 32,
): Promise<WrkResult> {
  const out = await new Deno.Command("taskset", {
    args: [
      "-c",
      "1",
      "wrk",
      "-t1",
      `-c${connections}`,
      `-d${seconds}s`,
      "--latency",
      "-H",
      `Host: ${host}`,
      url,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`wrk failed: ${new TextDecoder().decode(out.stderr)}`);
  return parse(text);
}

/** Whether every one of these programs is installed. */
export function installed(...paths: string[]): boolean {
  try {
    return paths.every((path) => Deno.statSync(path).isFile);
  } catch {
    return false;
  }
}

export function hasWrk(): boolean {
  return installed("/usr/bin/wrk", "/usr/bin/taskset");
}

/**
 * Starts `bench/edge_target.ts <mode>` pinned to core 0; resolves once it printed its port.
 * `wrapper` runs it under another program (valgrind, for instruction counts).
 */
export async function startTarget(
  mode: string,
  env: Record<string, string> = {},
  extra: string[] = [],
  wrapper: string[] = [],
) {
  const child = new Deno.Command("taskset", {
    args: [
      "-c",
      "0",
      ...wrapper,
      Deno.execPath(),
      "run",
      "-A",
      new URL("./edge_target.ts", import.meta.url).pathname,
      mode,
      ...extra,
    ],
    stdout: "piped",
    stderr: "inherit",
    env,
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  while (!buffered.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`benchmark target "${mode}" exited before it was ready`);
    buffered += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  const { port } = JSON.parse(buffered.split("\n")[0]);
  return {
    port: port as number,
    pid: child.pid,
    async stop() {
      child.kill("SIGKILL");
      await child.status;
    },
  };
}
