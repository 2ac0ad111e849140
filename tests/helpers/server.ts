/**
 * Starts the real Switchyard handler on a random port over an in-memory KV, with a bootstrap
 * token, and offers small clients for the API (platform host) and for app hosts (the edge).
 */
import { type Config, testConfig } from "../../config.ts";
import { bootstrap } from "../../kv/bootstrap.ts";
import { createSwitchyard, type Switchyard, type SwitchyardOptions } from "../../server.ts";
import { type RawRequest, rawRequest, type RawResponse } from "./http.ts";

export const TEST_TOKEN = "sy_test_" + "t".repeat(40);

export interface TestServer {
  port: number;
  kv: Deno.Kv;
  config: Config;
  accountId: string;
  /** The default account's first owner (whom the start-up sign-in link signs in). */
  ownerId: string;
  switchyard: Switchyard;
  /** Calls the merchant API with the bootstrap token; a plain object body is sent as JSON. */
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  /** Requests `path` on the host of app `slug`. */
  edge(slug: string, path: string, init?: Omit<RawRequest, "path" | "host">): Promise<RawResponse>;
  close(): Promise<void>;
}

export async function startServer(
  overrides: Partial<Config> = {},
  options: SwitchyardOptions = {},
): Promise<TestServer> {
  const kv = await Deno.openKv(":memory:");
  const config = testConfig({
    platformHost: "127.0.0.1",
    appsDomain: "localhost",
    bootstrapToken: TEST_TOKEN,
    revalidateMs: 200,
    ...overrides,
  });
  const { account, owner, secret } = await bootstrap(kv, config);
  config.secret = secret;
  const switchyard = createSwitchyard(kv, config, options);
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, switchyard.fetch);
  config.port = server.addr.port;
  const base = `http://127.0.0.1:${config.port}/api/v1`;
  return {
    port: config.port,
    kv,
    config,
    accountId: account.id,
    ownerId: owner.id,
    switchyard,
    api(method, path, body, headers = {}) {
      const init: RequestInit = {
        method,
        headers: { authorization: `Bearer ${TEST_TOKEN}`, ...headers },
      };
      if (body instanceof Uint8Array || typeof body === "string") {
        init.body = body as BodyInit;
      } else if (body !== undefined) {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)["content-type"] = "application/json";
      }
      return fetch(base + path, init);
    },
    edge(slug, path, init = {}) {
      return rawRequest(config.port, { ...init, path, host: `${slug}.localhost` });
    },
    async close() {
      await server.shutdown();
      await switchyard.close();
      kv.close();
    },
  };
}
