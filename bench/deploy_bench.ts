/**
 * Issue "deno task deploy": a deploy of 2,000 files / 20 MiB end to end (goal ≤ 5 s) and a
 * re-deploy with one changed file (goal ≤ 1 s), through the CLI's own `deploy()`.
 */
import { deploy } from "../cli/deploy.ts";
import { generatePackage, writePackage } from "./generate.ts";
import type { Section } from "./report.ts";
import { BENCH_TOKEN, startBenchServer } from "./server.ts";

export async function deployBench(): Promise<Section> {
  const pkg = generatePackage(2000, 20 * 1024 * 1024, 11);
  const dir = await writePackage(pkg);
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
    const mib = (pkg.bytes / 2 ** 20).toFixed(1);
    return {
      title: "Deploy CLI",
      rows: [
        {
          what:
            `first deploy of ${first.files} files / ${mib} MiB (hash, manifest, upload ${first.uploaded} blobs, finalize, promote)`,
          result: `${(firstMs / 1000).toFixed(2)} s`,
          goal: "≤ 5 s",
          met: firstMs <= 5000,
        },
        {
          what: `re-deploy with one changed file (${second.uploaded} blob uploaded)`,
          result: `${(secondMs / 1000).toFixed(2)} s`,
          goal: "≤ 1 s",
          met: secondMs <= 1000 && second.uploaded === 1,
        },
      ],
      method: "`deploy()` from cli/deploy.ts in the benchmark process against the real server " +
        "in-process on a temporary SQLite KV file, over loopback HTTP.",
    };
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}
