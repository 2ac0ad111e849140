/**
 * `deno task deploy`: a deploy of 2,000 files / 20 MiB end to end (goal ≤ 5 s) and a
 * re-deploy with one changed file (goal ≤ 1 s), through the CLI's own `deploy()`.
 */
import { deploy } from "../cli/deploy.ts";
import { generatePackage, writePackage } from "./generate.ts";
import { median, type Section } from "./report.ts";
import { BENCH_TOKEN, startBenchServer } from "./server.ts";

/** Deploys measured on a fresh server each (a first deploy needs an account without the blobs). */
const ROUNDS = 3;

/** One round: a first deploy and a re-deploy with one changed file, each timed. */
async function round(dir: string) {
  const server = await startBenchServer();
  try {
    await (await server.api("POST", "/apps", JSON.stringify({ slug: "bench", name: "Bench" }))).body
      ?.cancel();
    const options = {
      dir,
      app: "bench",
      url: `http://127.0.0.1:${server.port}`,
      token: BENCH_TOKEN,
    };
    let start = performance.now();
    const first = await deploy({ ...options, promote: true });
    const firstMs = performance.now() - start;
    await Deno.writeTextFile(`${dir}/index.html`, `<!-- changed ${Date.now()} -->`);
    start = performance.now();
    const second = await deploy({ ...options, promote: true });
    const secondMs = performance.now() - start;
    return { first, firstMs, second, secondMs };
  } finally {
    await server.close();
  }
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

export async function deployBench(): Promise<Section> {
  const pkg = generatePackage(2000, 20 * 1024 * 1024, 11);
  const dir = await writePackage(pkg);
  try {
    const rounds: Awaited<ReturnType<typeof round>>[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await round(dir));
    const firstMs = median(rounds.map((r) => r.firstMs));
    const secondMs = median(rounds.map((r) => r.secondMs));
    const { first, second } = rounds[0];
    const all = (key: "firstMs" | "secondMs") => rounds.map((r) => seconds(r[key])).join(", ");
    const mib = (pkg.bytes / 2 ** 20).toFixed(1);
    return {
      title: "Deploy CLI",
      rows: [
        {
          what:
            `first deploy of ${first.files} files / ${mib} MiB (hash, manifest, upload ${first.uploaded} blobs, finalize, promote)`,
          result: `${seconds(firstMs)} s (median of ${ROUNDS}; all: ${all("firstMs")})`,
          goal: "≤ 5 s",
          met: firstMs <= 5000,
        },
        {
          what: `re-deploy with one changed file (${second.uploaded} blob uploaded)`,
          result: `${seconds(secondMs)} s (median of ${ROUNDS}; all: ${all("secondMs")})`,
          goal: "≤ 1 s",
          met: secondMs <= 1000 && rounds.every((r) => r.second.uploaded === 1),
        },
      ],
      method: "`deploy()` from cli/deploy.ts in the benchmark process against the real server " +
        "in-process on a temporary SQLite KV file, over loopback HTTP; each round on a fresh " +
        "server, the median round reported.",
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
