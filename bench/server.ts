/**
 * A Switchyard server for benchmarks: the real handler on a random port over a temporary
 * SQLite KV file (what a self-hosted install runs on), with a bootstrap token.
 */
import { type Config, testConfig } from "../config.ts";
import { bootstrap } from "../kv/bootstrap.ts";
import { createSwitchyard, type Switchyard } from "../server.ts";

export const BENCH_TOKEN = "sy_bench_" + "b".repeat(40);

export interface BenchServer {
  port: number;
  kv: Deno.Kv;
  config: Config;
  switchyard: Switchyard;
  api(method: string, path: string, body?: BodyInit, type?: string): Promise<Response>;
  /** Stops the server and closes KV; the KV file is removed unless it was given. */
  close(): Promise<void>;
}

/** Starts the server on `kvPath`, or on a new temporary KV file when none is given. */
export async function startBenchServer(
  overrides: Partial<Config> = {},
  kvPath?: string,
): Promise<BenchServer> {
  const dir = kvPath ? null : await Deno.makeTempDir({ prefix: "switchyard-bench-kv-" });
  const kv = await Deno.openKv(kvPath ?? `${dir}/kv.sqlite`);
  const config = testConfig({
    platformHost: "127.0.0.1",
    bootstrapToken: BENCH_TOKEN,
    ...overrides,
  });
  config.secret = (await bootstrap(kv, config)).secret;
  const switchyard = createSwitchyard(kv, config);
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, switchyard.fetch);
  config.port = server.addr.port;
  return {
    port: config.port,
    kv,
    config,
    switchyard,
    api(method, path, body, type = "application/json") {
      return fetch(`http://127.0.0.1:${config.port}/api/v1${path}`, {
        method,
        body,
        headers: { authorization: `Bearer ${BENCH_TOKEN}`, "content-type": type },
      });
    },
    async close() {
      await server.shutdown();
      await switchyard.close();
      kv.close();
      if (dir) await Deno.remove(dir, { recursive: true });
    },
  };
}
