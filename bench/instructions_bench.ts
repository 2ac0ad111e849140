/**
 * A diagnostic beside the throughput goal: CPU instructions per warm request, counted by
 * valgrind's callgrind, for the whole edge, the bare `Deno.serve` it is compared with, and the
 * floor between them (see bench/edge_target.ts).
 * Wall-clock throughput on these shared machines drifts 10–25 % within seconds; instruction
 * counts repeat to within about 1 %, so they show whether a change to the hot path helped at all.
 * They leave out the kernel's share of a request (socket reads and writes), which is common to
 * both servers, so their ratio is lower than the requests/s ratio.
 *
 * Needs valgrind and ab (Debian: valgrind, apache2-utils). Each target runs under callgrind,
 * is warmed with 3,000 requests, has its counters zeroed, then serves 10,000 keep-alive
 * requests from `ab -k -c 8`; the counters are dumped and divided by 10,000.
 */
import type { Section } from "./report.ts";
import { installed, startTarget } from "./wrk.ts";

const WARM = 3_000;
const COUNTED = 10_000;

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr)}`);
  return text;
}

async function ab(url: string, host: string, requests: number): Promise<void> {
  const out = await run("ab", [
    "-q",
    "-k",
    "-n",
    String(requests),
    "-c",
    "8",
    "-H",
    `Host: ${host}`,
    url,
  ]);
  // Counting error pages would measure nothing.
  if (/Non-2xx responses/.test(out) || !/Failed requests:\s+0/.test(out)) {
    throw new Error(`ab saw errors:\n${out}`);
  }
}

async function instructionsPerRequest(mode: string, path: string, host: string): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "switchyard-callgrind-" });
  const target = await startTarget(mode, {}, [], [
    "valgrind",
    "--tool=callgrind",
    "--quiet",
    `--callgrind-out-file=${dir}/out`,
  ]);
  try {
    const url = `http://127.0.0.1:${target.port}${path}`;
    await ab(url, host, WARM);
    await run("callgrind_control", ["-z", String(target.pid)]);
    await ab(url, host, COUNTED);
    await run("callgrind_control", ["-d", String(target.pid)]);
    // `callgrind_control -d` writes `out.1`: the counts since they were zeroed. (The target is
    // killed, so no dump is written at exit.)
    const dump = await Deno.readTextFile(`${dir}/out.1`);
    const total = Number(/^(?:summary|totals): (\d+)/m.exec(dump)?.[1]);
    if (!total) throw new Error("callgrind's dump has no total");
    return total / COUNTED;
  } finally {
    await target.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

export async function instructionsBench(): Promise<Section> {
  if (!installed("/usr/bin/valgrind", "/usr/bin/ab")) {
    return {
      title: "Edge instructions per warm request (diagnostic)",
      rows: [{
        what: "warm 2 KiB file: the whole edge vs bare `Deno.serve`, user-space instructions",
        result: "not run: needs valgrind and ab (apt-get install valgrind apache2-utils)",
        goal: "none",
        met: null,
      }],
      method: "",
    };
  }

  const bare = await instructionsPerRequest("bare", "/", "localhost");
  const floor = await instructionsPerRequest("floor", "/small.bin", "bench.localhost");
  const edge = await instructionsPerRequest("switchyard", "/small.bin", "bench.localhost");
  const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
  return {
    title: "Edge instructions per warm request (diagnostic)",
    rows: [{
      what: "warm 2 KiB file: the whole edge vs bare `Deno.serve`, user-space instructions",
      result: `${k(edge)} vs ${k(bare)} per request (bare/edge ${
        (bare / edge).toFixed(2)
      }: the requests/s ratio if the kernel's share were nil)`,
      goal: "none: a repeatable check that a hot-path change helped",
      met: null,
    }, {
      what: "the same split: the floor handler (the request reads alone, see Edge throughput)",
      result:
        `${k(floor)}: reading the request and sending the edge's headers cost ${k(floor - bare)} ` +
        `over bare, the edge's own work ${k(edge - floor)}`,
      goal: "none",
      met: null,
    }],
    figures: { bareOverEdge: bare / edge },
    method:
      `Each server (bench/edge_target.ts) under valgrind --tool=callgrind, pinned to core 0; ` +
      `ab -k -c 8 sends ${WARM} requests to warm it, the counters are zeroed, then ${COUNTED} ` +
      "requests are counted. The kernel's share of a request is not counted. " +
      "docs/ARCHITECTURE.md breaks the edge's count down.",
  };
}
