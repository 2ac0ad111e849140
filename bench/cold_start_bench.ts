/**
 * Cold start: how long a shopper in a region with no running isolate waits. A fresh process is
 * spawned and polled until its first `200` byte arrives, beside two references spawned the same
 * way in the same run, alternating: a bare `Deno.serve`, and the KV floor (open the KV file, one
 * get, answer). Switchyard runs `main.ts` as `deno task start` does (after `build.ts --if-stale`,
 * so from the start bundle), on a KV file that already holds a live app (goal: ≤ 2× the bare
 * server), and on `:memory:` without the demo seed; and, for comparison, `program.ts` from source.
 * Then the first request to each of 100 apps in a fresh process (live record, manifest and
 * file read from KV), timed from the moment it listens (goal: p99 ≤ 15 ms).
 */
import { zipSync } from "fflate";
import { freePort } from "../tests/helpers/process.ts";
import { median, type Section } from "./report.ts";
import { startBenchServer } from "./server.ts";
import { TRIED } from "./cold_start_tried.ts";
import { startBundle } from "../build.ts";

const RUNS = 20;
const APPS = 100;
const root = new URL("../", import.meta.url);
const encoder = new TextEncoder();

export interface Target {
  name: string;
  /** Default the project root. */
  cwd?: string;
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
export async function coldRun(target: Target): Promise<{ ms: number; rss: number }> {
  const port = freePort();
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: target.args,
    cwd: target.cwd ?? root,
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
export async function preparedKv(dir: string, apps: number): Promise<string> {
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

/**
 * The first request to each of `APPS` apps, after the process says it listens; and what its
 * listening line says it runs from (the start bundle or source).
 */
export async function firstRequests(kvPath: string): Promise<{ times: number[]; from: string }> {
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
    const listening = seen.split("\n").find((line) => line.includes("Switchyard is listening"));
    const from = String(JSON.parse(listening!).from);
    const times: number[] = [];
    for (let i = 0; i < APPS; i++) {
      const started = performance.now();
      if (!await firstByte(port, `cold${i}.localhost`, "/app.js")) {
        throw new Error(`cold${i}: not 200`);
      }
      times.push(performance.now() - started);
    }
    return { times, from };
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
  // As `deno task start` does (build --if-stale): main.ts then runs the start bundle.
  await startBundle(true);
  const dir = await Deno.makeTempDir({ prefix: "switchyard-cold-" });
  try {
    const kvPath = await preparedKv(dir, APPS);
    const targets = coldTargets(kvPath);
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
    const first = await firstRequests(kvPath);
    if (first.from !== "start bundle") {
      throw new Error(`main.ts ran from ${first.from}, not the start bundle: is _start/ current?`);
    }
    return {
      title: "Cold start",
      rows: [...spawnRows(targets, results), firstRequestsRow(first.times)],
      method: METHOD,
      notes: TRIED,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function coldTargets(kvPath: string): Target[] {
  const reference = (name: string, args: string[]): Target => ({
    name,
    args,
    env: {},
    host: "x",
    path: "/",
    status: "HTTP/1.1 200",
  });
  const program = (name: string, entry: string, env: Target["env"], ok: boolean): Target => ({
    name,
    args: ["run", "-A", "--unstable-kv", entry],
    env,
    host: ok ? "cold0.localhost" : "nothing.localhost",
    path: "/",
    status: ok ? "HTTP/1.1 200" : "HTTP/1.1 404",
  });
  return [
    reference(BARE, ["run", "-A", "bench/cold_target.ts", "bare"]),
    reference("kv floor", ["run", "-A", "--unstable-kv", "bench/cold_target.ts", "kv", kvPath]),
    program(GOAL, "main.ts", switchyard(kvPath, "1"), true),
    program("switchyard (:memory:, no demo)", "main.ts", switchyard(":memory:", "0"), false),
    program(
      "switchyard from source (program.ts, no bundle)",
      "program.ts",
      switchyard(kvPath, "1"),
      true,
    ),
  ];
}

const BARE = "bare";
const GOAL = "switchyard (KV file)";

type Results = Map<string, { ms: number[]; rss: number[] }>;

function spawnRows(targets: Target[], results: Results): Section["rows"] {
  const bare = results.get(BARE)!;
  return targets.map((target) => {
    const r = results.get(target.name)!;
    const isGoal = target.name === GOAL;
    // Paired: each round's runs are under a second apart, so load that comes and goes over
    // seconds weighs on both; the median of the rounds' ratios is what the goal is judged on.
    const ratios = r.ms.map((ms, i) => ms / bare.ms[i]);
    const paired = median(ratios);
    const extra = median(r.rss) - median(bare.rss);
    const ratioText = target.name === BARE
      ? ""
      : `, ${paired.toFixed(2)}× bare (rounds ${Math.min(...ratios).toFixed(2)}–${
        Math.max(...ratios).toFixed(2)
      }; ratio of medians ${(median(r.ms) / median(bare.ms)).toFixed(2)}×)`;
    return {
      what: `spawn → first byte: ${target.name}`,
      result: `${summary(r.ms)}${ratioText}; RSS after it ${summary(r.rss, "MiB")}${
        target.name === BARE ? "" : `, +${extra.toFixed(1)} MiB over bare`
      }`,
      goal: isGoal ? "≤ 2× bare" : "—",
      met: isGoal ? paired <= 2 : null,
    };
  });
}

function firstRequestsRow(firsts: number[]): Section["rows"][number] {
  const p99 = percentile(firsts, 99);
  return {
    what: `first request to each of ${APPS} apps in a fresh process, after it listens`,
    result: `p99 ${p99.toFixed(2)} ms (median ${median(firsts).toFixed(2)}, max ${
      Math.max(...firsts).toFixed(2)
    })`,
    goal: "p99 ≤ 15 ms",
    met: p99 <= 15,
  };
}

const METHOD =
  "Each process is spawned with `deno run` and polled over raw TCP every millisecond until " +
  `its first byte (\`200\`; \`404\` for the empty \`:memory:\` one); ${RUNS} runs of each ` +
  "target, alternating (a round is one run of each), after one unmeasured run each (so Deno's " +
  "module cache is warm, as on Deno Deploy). A ratio is the median of the rounds' ratios to " +
  "bare (their range beside it), as in Edge throughput: the machine's load comes and goes " +
  "over seconds and weighs on a round's runs alike; the ratio of the medians is shown too. Switchyard runs `main.ts` as `deno task start` does, after `build.ts " +
  "--if-stale`, so from the start bundle (`_start/`, checked in its listening line); the " +
  "from-source row runs `program.ts` for comparison. The KV file holds " +
  `${APPS} apps with a live version, made through the API. RSS is read from /proc right after ` +
  `the first byte. Ranges are min–max. The ${APPS} first requests are each an app's ` +
  '`/app.js`, one after another, timed from the process\'s "listening" log line.';
