/**
 * Switchyard's entry point: read the configuration, open KV, make sure the default account
 * (and the demo, when asked) exist, then serve the platform and every app host on one port.
 */
import { loadConfig } from "./config.ts";
import { describeKv, openKv } from "./kv/open.ts";
import { bootstrap } from "./kv/bootstrap.ts";
import { DEMO_SLUG, seedDemo } from "./kv/demo.ts";
import { createSwitchyard } from "./server.ts";
import { appUrl, platformUrl } from "./lib/urls.ts";

const config = loadConfig();
const kv = await openKv(config.kvPath);
const { account, secret } = await bootstrap(kv, config);
config.secret = secret;
if (config.demo) await seedDemo(kv, config, account.id);

const switchyard = createSwitchyard(kv, config);
const server = Deno.serve({
  port: config.port,
  onListen: () => {
    console.log(`Switchyard on ${describeKv(config.kvPath)}`);
    console.log(`  admin and API: ${platformUrl(config)}/api/v1`);
    if (config.demo) console.log(`  demo store:    ${appUrl(config, DEMO_SLUG)}`);
  },
}, switchyard.fetch);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.addSignalListener(signal, async () => {
    await server.shutdown();
    await switchyard.close();
    kv.close();
    Deno.exit(0);
  });
}
