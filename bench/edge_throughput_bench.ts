/**
 * Edge throughput: a warm 2 KiB file through the whole edge
 * against a bare `Deno.serve` returning a constant 2 KiB body (goal ≥ 0.85× its requests/s),
 * and a 100 KiB file against nginx serving the same file from disk (goal ≥ 0.6× its bytes/s).
 *
 * Servers run pinned to core 0, wrk to core 1. The machines are shared: throughput drifts by
 * 10–25 % over seconds as neighbours come and go. So every server is started once and measured
 * in short runs taken in turns, a round being one run of each; a ratio is taken within each
 * round (its runs were seconds apart) and the median over the rounds is reported, so a noisy
 * moment neither decides nor hides a result.
 */
import { LARGE } from "./edge_target.ts";
import { median, type Section } from "./report.ts";
import { rawRequest } from "../tests/helpers/http.ts";
import { startTarget, wrk, type WrkResult } from "./wrk.ts";

const ROUNDS = 10;
const SECONDS = 2;

interface Target {
  url: string;
  host: string;
  stop(): Promise<void>;
}

async function denoTarget(mode: string, path: string, host: string): Promise<Target> {
  const target = await startTarget(mode);
  return { url: `http://127.0.0.1:${target.port}${path}`, host, stop: target.stop };
}

async function startNginx(): Promise<{ port: number; stop(): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "switchyard-nginx-" });
  // nginx's workers drop root: they must be able to read the folder and the file.
  await Deno.chmod(dir, 0o755);
  await Deno.writeFile(`${dir}/large.bin`, LARGE, { mode: 0o644 });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  await Deno.writeTextFile(
    `${dir}/nginx.conf`,
    `master_process off; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  types { application/octet-stream bin; }
  server { listen 127.0.0.1:${port}; root ${dir}; location / { etag on; } } }`,
  );
  const child = new Deno.Command("taskset", {
    args: ["-c", "0", "/usr/sbin/nginx", "-c", `${dir}/nginx.conf`, "-p", dir],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  for (let i = 0; i < 100; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    port,
    async stop() {
      child.kill("SIGKILL");
      await child.status;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function nginxTarget(): Promise<Target> {
  const nginx = await startNginx();
  return { url: `http://127.0.0.1:${nginx.port}/large.bin`, host: "localhost", stop: nginx.stop };
}

interface Paired {
  ratio: number;
  low: number;
  high: number;
  /** The round whose ratio is nearest the median: its two runs. */
  subject: WrkResult;
  reference: WrkResult;
}

function pair(subject: WrkResult[], reference: WrkResult[], key: keyof WrkResult): Paired {
  const ratios = subject.map((run, i) => run[key] / reference[i][key]);
  const ratio = median(ratios);
  let nearest = 0;
  ratios.forEach((r, i) => {
    if (Math.abs(r - ratio) < Math.abs(ratios[nearest] - ratio)) nearest = i;
  });
  return {
    ratio,
    low: Math.min(...ratios),
    high: Math.max(...ratios),
    subject: subject[nearest],
    reference: reference[nearest],
  };
}

/** The status and header names of a GET (`fetch` cannot set a Host header). */
async function headerNames(target: Target): Promise<string> {
  const url = new URL(target.url);
  const res = await rawRequest(Number(url.port), { path: url.pathname, host: target.host });
  const names = [...res.headers.keys()].filter((name) => name !== "date");
  return `${res.status} ${names.join(" ")}`;
}

export async function edgeThroughputBench(): Promise<Section> {
  const targets = {
    bare: await denoTarget("bare", "/", "localhost"),
    edgeSmall: await denoTarget("switchyard", "/small.bin", "bench.localhost"),
    floor: await denoTarget("floor", "/small.bin", "bench.localhost"),
    nginx: await nginxTarget(),
  };
  const edgeLarge = { ...targets.edgeSmall, url: targets.edgeSmall.url.replace("small", "large") };
  const order = [targets.bare, targets.edgeSmall, targets.floor, targets.nginx, edgeLarge];
  const runs = order.map(() => [] as WrkResult[]);
  try {
    // The floor stands for the edge's answer only if it sends what the edge sends.
    const [edgeHead, floorHead] = [
      await headerNames(targets.edgeSmall),
      await headerNames(targets.floor),
    ];
    if (edgeHead !== floorHead) {
      throw new Error(`floor answers "${floorHead}", the edge "${edgeHead}": update bench`);
    }
    // Warm-up: caches filled, JIT settled.
    for (const target of order) await wrk(target.url, target.host, 2);
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order within each group, so no target always follows the same one.
      const turn = round % 2 ? [2, 1, 0, 4, 3] : [0, 1, 2, 3, 4];
      for (const i of turn) runs[i].push(await wrk(order[i].url, order[i].host, SECONDS));
    }
  } finally {
    await Promise.all(Object.values(targets).map((target) => target.stop()));
  }
  const [bare, small, floor, nginx, large] = runs;
  const s = pair(small, bare, "requestsPerSecond");
  const f = pair(floor, bare, "requestsPerSecond");
  const e = pair(small, floor, "requestsPerSecond");
  const l = pair(large, nginx, "bytesPerSecond");
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB/s`;
  const spread = (p: Paired) => `range ${p.low.toFixed(2)}–${p.high.toFixed(2)}`;
  return {
    title: "Edge throughput",
    rows: [
      {
        what: "warm 2 KiB file through the whole edge vs bare `Deno.serve` (requests/s)",
        result: `${s.ratio.toFixed(2)}× (median of ${ROUNDS} rounds, ${spread(s)}; ${
          Math.round(s.subject.requestsPerSecond)
        } vs ${Math.round(s.reference.requestsPerSecond)} req/s; p99 ${
          s.subject.p99Ms.toFixed(2)
        } ms)`,
        goal: "≥ 0.85×",
        met: s.ratio >= 0.85,
      },
      {
        what: "where the rest goes: a handler doing only the request reads RFC 9110 asks of a " +
          "file server (URL, method, 8 headers) and cloning a prepared answer, vs bare; and " +
          "the whole edge vs that handler (requests/s)",
        result: `the floor ${f.ratio.toFixed(2)}× bare (${spread(f)}); the edge ${
          e.ratio.toFixed(2)
        }× the floor (${spread(e)})`,
        goal: "none (diagnostic)",
        met: null,
      },
      {
        what: "100 KiB file through the edge vs nginx from disk (bytes/s)",
        result: `${l.ratio.toFixed(2)}× (median of ${ROUNDS} rounds, ${spread(l)}; ${
          mb(l.subject.bytesPerSecond)
        } vs ${mb(l.reference.bytesPerSecond)})`,
        goal: "≥ 0.6×",
        met: l.ratio >= 0.6,
      },
    ],
    method: `wrk -t1 -c32 --latency pinned to core 1 (taskset); each server on core 0, started ` +
      "once: bench/edge_target.ts (Switchyard on a temporary SQLite KV, app `bench` live; or a " +
      "bare Deno.serve with a constant 2 KiB body, whose handler takes no request, so Deno " +
      "builds none; or the floor handler, checked to answer the same status and header names " +
      "as the edge) and nginx as one process (no master) with sendfile. After a 2 s warm-up " +
      `of each, ${ROUNDS} rounds of ${SECONDS} s runs taken in turns; the ratio is the median ` +
      "of the rounds' ratios (the range shows the noise), and the req/s and p99 shown are the " +
      "median round's.",
  };
}
