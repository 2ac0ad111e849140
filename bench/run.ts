/**
 * `deno task bench`: runs every benchmark and writes docs/BENCHMARKS.md with the machine and
 * date. `deno task bench install deploy` runs only the named sections.
 */
import { checkoutBench } from "./checkout_bench.ts";
import { installBench } from "./install_bench.ts";
import { deployBench } from "./deploy_bench.ts";
import { edgeThroughputBench } from "./edge_throughput_bench.ts";
import { edgeLatencyBench } from "./edge_latency_bench.ts";
import { edgeMemoryBench } from "./edge_memory_bench.ts";
import { instructionsBench } from "./instructions_bench.ts";
import { coldStartBench } from "./cold_start_bench.ts";
import { statsBench } from "./stats_bench.ts";
import { limitsBench } from "./limits_bench.ts";
import { hasWrk } from "./wrk.ts";
import { machine, markdown, mergeReport, type Section } from "./report.ts";
import { adminBench } from "./admin_bench.ts";

const BENCHES: Record<string, () => Promise<Section>> = {
  checkout: checkoutBench,
  install: installBench,
  deploy: deployBench,
  edge: edgeThroughputBench,
  latency: edgeLatencyBench,
  memory: edgeMemoryBench,
  instructions: instructionsBench,
  cold: coldStartBench,
  stats: statsBench,
  limits: limitsBench,
  admin: adminBench,
};

if (!hasWrk()) {
  console.error("The edge benchmarks need wrk and taskset: apt-get install wrk nginx util-linux");
}

const names = Deno.args.length ? Deno.args : Object.keys(BENCHES);
const sections: Section[] = [];
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    throw new Error(`Unknown benchmark: "${name}" (known: ${Object.keys(BENCHES).join(", ")})`);
  }
  console.log(`bench: ${name}…`);
  const section = await bench();
  for (const row of section.rows) console.log(`  ${row.what}: ${row.result} (goal ${row.goal})`);
  sections.push(section);
}
// The steady figure beside the noisy one: the instruction ratio, quoted in Edge throughput.
const throughput = sections.find((section) => section.title === "Edge throughput");
const ratio = sections.find((section) => section.figures?.bareOverEdge)?.figures?.bareOverEdge;
throughput?.rows.splice(1, 0, {
  what: "the steady figure: user-space instructions per request, bare/edge (see Edge instructions)",
  result: ratio
    ? `${ratio.toFixed(2)} (repeats within ~0.7 %; no kernel share)`
    : 'not run: "deno task bench edge instructions" runs both',
  goal: "none (what to trust when requests/s swings)",
  met: null,
});

const report = markdown(
  sections,
  await machine(),
  new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
);
const target = new URL("../docs/BENCHMARKS.md", import.meta.url);
// A run of some sections keeps the others' figures from the last run that had them.
const existing = await Deno.readTextFile(target).catch(() => null);
await Deno.writeTextFile(target, mergeReport(existing, report));
// Keep the generated file as `deno fmt --check` (the CI gate) wants it.
await new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", target.pathname] }).output();
console.log("wrote docs/BENCHMARKS.md");
