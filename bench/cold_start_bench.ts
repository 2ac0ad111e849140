/**
 * Cold start: how long a shopper in a region with no running isolate waits. A fresh process is
 * spawned and polled until its first `200` byte arrives, beside two references spawned the same
 * way in the same run, alternating: a bare `Deno.serve`, and the KV floor (open the KV file, one
 * get, answer). Switchyard runs `main.ts` as `deno task start` does, on a KV file that already
 * holds a live app (goal: ≤ 2× the bare server), and on `:memory:` without the demo seed.
 * Then the first request to each of 100 apps in a fresh process (live record, manifest and
 * file read from KV), timed from the moment it listens (goal: p99 ≤ 15 ms).
 */
import { zipSync } from "fflate";
import { freePort } from "../tests/helpers/process.ts";
import { median, type Section } from "./report.ts";
import { startBenchServer } from "./server.ts";

const RUNS = 10;
const APPS = 100;
const root = new URL("../", import.meta.url);
const encoder = new TextEncoder();

interface Target {
  name: string;
  args: string[];
  env: Record<string, string>;
  host: string;
  path: string;
  /** The status line the first answer must start with. */
  status: string;
}

/** One raw HTTP/1.1 GET; resolves at its first byte with whether the status is 200. */
async function firstByte(
  port: number,
  host: string,
  path: string,
  status = "HTTP/1.1 200",
): Promise<boolean | null> {
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
  } catch {
    return null;
  }
  try {
    await conn.write(
      encoder.encode(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    const buffer = new Uint8Array(16);
    const read = await conn.read(buffer);
    return read !== null &&
      new TextDecoder().decode(buffer.subarray(0, read)).startsWith(status);
  } catch {
    return null;
  } finally {
    conn.close();
  }
}

function rssKiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

/** Spawn → first `200` byte in ms, and the process's RSS right after it. */
async function coldRun(target: Target): Promise<{ ms: number; rss: number }> {
  const port = freePort();
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: target.args,
    cwd: root,
    env: { ...target.env, PORT: String(port) },
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    for (;;) {
      const ok = await firstByte(port, target.host, target.path, target.status);
      if (ok) break;
      if (ok === false) {
        throw new Error(`${target.name}: the first answer was not ${target.status}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const ms = performance.now() - started;
    return { ms, rss: rssKiB(child.pid) };
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
}

/** A KV file holding a live app `cold` (through the real API) and the floor's one value. */
async function preparedKv(dir: string, apps: number): Promise<string> {
  const path = `${dir}/kv.sqlite`;
  const server = await startBenchServer({}, path);
  try {
    for (let i = 0; i < apps; i++) {
      const slug = `cold${i}`;
      const created = await server.api("POST", "/apps", JSON.stringify({ slug, name: slug }));
      if (created.status !== 201) throw new Error(await created.text());
      await created.body?.cancel();
      const zip = zipSync({
        "index.html": encoder.encode(`<!doctype html><title>${slug}</title>`),
        "app.js": encoder.encode(`console.log(${i});`),
      });
      const version = await server.api(
        "POST",
        `/apps/${slug}/versions`,
        zip as BodyInit,
        "application/zip",
      );
      if (version.status !== 201) throw new Error(await version.text());
      await version.body?.cancel();
      const live = await server.api("PUT", `/apps/${slug}/live`, JSON.stringify({ version: 1 }));
      if (live.status !== 200) throw new Error(await live.text());
      await live.body?.cancel();
    }
    await server.kv.set(["cold", "page"], "<!doctype html><title>cold</title>");
  } finally {
    await server.close();
  }
  return path;
}

function summary(values: number[], unit = "ms"): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${median(values).toFixed(1)} ${unit} (${sorted[0].toFixed(1)}–${
    sorted.at(-1)!.toFixed(1)
  })`;
}

const switchyard = (kvPath: string, demo: "0" | "1"): Target["env"] => ({
  SWITCHYARD_KV: kvPath,
  SWITCHYARD_DEMO: demo,
  SWITCHYARD_PLATFORM_HOST: "127.0.0.1",
  SWITCHYARD_BOOTSTRAP_TOKEN: "sy_cold_" + "c".repeat(40),
});

/** The first request to each of `APPS` apps, after the process says it listens. */
async function firstRequests(kvPath: string): Promise<number[]> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-kv", "main.ts"],
    cwd: root,
    env: { ...switchyard(kvPath, "0"), PORT: String(port), SWITCHYARD_EDGE_LOG: "errors" },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!seen.includes("Switchyard is listening")) {
      const { value, done } = await lines.read();
      if (done) throw new Error("Switchyard ended before it listened");
      seen += value;
    }
    lines.releaseLock();
    const times: number[] = [];
    for (let i = 0; i < APPS; i++) {
      const started = performance.now();
      if (!await firstByte(port, `cold${i}.localhost`, "/app.js")) {
        throw new Error(`cold${i}: not 200`);
      }
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

export async function coldStartBench(): Promise<Section> {
  const dir = await Deno.makeTempDir({ prefix: "switchyard-cold-" });
  try {
    const kvPath = await preparedKv(dir, APPS);
    const targets: Target[] = [
      {
        name: "bare",
        args: ["run", "-A", "bench/cold_target.ts", "bare"],
        env: {},
        host: "x",
        path: "/",
        status: "HTTP/1.1 200",
      },
      {
        name: "kv floor",
        args: ["run", "-A", "--unstable-kv", "bench/cold_target.ts", "kv", kvPath],
        env: {},
        host: "x",
        path: "/",
        status: "HTTP/1.1 200",
      },
      {
        name: "switchyard (KV file)",
        args: ["run", "-A", "--unstable-kv", "main.ts"],
        env: switchyard(kvPath, "1"),
        host: "cold0.localhost",
        path: "/",
        status: "HTTP/1.1 200",
      },
      {
        name: "switchyard (:memory:, no demo)",
        args: ["run", "-A", "--unstable-kv", "main.ts"],
        env: switchyard(":memory:", "0"),
        host: "nothing.localhost",
        path: "/",
        status: "HTTP/1.1 404",
      },
    ];
    // One unmeasured run each, so every module is in Deno's cache before timing.
    for (const target of targets) await coldRun(target);
    const results = new Map(
      targets.map((t) => [t.name, { ms: [] as number[], rss: [] as number[] }]),
    );
    for (let i = 0; i < RUNS; i++) {
      for (const target of targets) {
        const run = await coldRun(target);
        results.get(target.name)!.ms.push(run.ms);
        results.get(target.name)!.rss.push(run.rss / 1024);
      }
    }
    const bare = median(results.get("bare")!.ms);
    const ratio = (name: string) => median(results.get(name)!.ms) / bare;
    const firsts = await firstRequests(kvPath);
    const p99 = percentile(firsts, 99);
    const rows = targets.map((target) => {
      const r = results.get(target.name)!;
      const isGoal = target.name === "switchyard (KV file)";
      return {
        what: `spawn → first 200: ${target.name}`,
        result: `${summary(r.ms)}, ${ratio(target.name).toFixed(2)}× bare; RSS ${
          summary(r.rss, "MiB")
        }`,
        goal: isGoal ? "≤ 2× bare" : "—",
        met: isGoal ? ratio(target.name) <= 2 : null,
      };
    });
    rows.push({
      what: `first request to each of ${APPS} apps in a fresh process, after it listens`,
      result: `p99 ${p99.toFixed(2)} ms (median ${median(firsts).toFixed(2)}, max ${
        Math.max(...firsts).toFixed(2)
      })`,
      goal: "p99 ≤ 15 ms",
      met: p99 <= 15,
    });
    return {
      title: "Cold start",
      rows,
      method:
        `Each process is spawned with \`deno run\` and polled over raw TCP every millisecond until ` +
        `its first \`200\` byte; ${RUNS} runs of each target, alternating, after one unmeasured run ` +
        `each (so Deno's module cache is warm, as on Deno Deploy). The KV file holds ${APPS} apps ` +
        `with a live version, made through the API. RSS is read from /proc right after the first ` +
        `byte. Ranges are min–max. The ${APPS} first requests are each an app's \`/app.js\`, ` +
        `one after another, timed from the process's "listening" log line.`,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
