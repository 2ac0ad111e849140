/**
 * Switchyard's entry point: read the configuration, open KV, make sure the default account
 * (and the demo, when asked) exist, load the build output, then serve the platform and every app
 * host on one port until SIGTERM or SIGINT. Logs are JSON lines (docs/OPERATING.md "Logs").
 */
import { loadConfig } from "./config.ts";
import { describeKv, openKv } from "./kv/open.ts";
import { bootstrap } from "./kv/bootstrap.ts";
import { DEMO_SLUG, seedDemo } from "./install/demo.ts";
import { createSwitchyard } from "./server.ts";
import { appUrl, platformUrl } from "./lib/urls.ts";
import { BUILD_DIR, type BuildOutput, loadBuildOutput } from "./lib/build_output.ts";
import { createLogger, errorFields, type Logger } from "./lib/log.ts";
import { Drain, shutDownOnSignals } from "./lib/shutdown.ts";
import { collectAllGarbage } from "./kv/gc.ts";

/** How often garbage (blobs and manifests no version names) is swept; one sweep platform-wide. */
const GC_EVERY_MS = 6 * 3_600_000;

function scheduleGarbageCollection(kv: Deno.Kv, log: Logger): void {
  const sweep = async () => {
    try {
      const report = await collectAllGarbage(kv);
      if (report) log.info("Garbage collected", { ...report });
    } catch (error) {
      log.warn("Garbage collection failed", errorFields(error));
    }
  };
  // Unref'd: a pending sweep never keeps the process alive at shutdown.
  Deno.unrefTimer(setTimeout(sweep, 10 * 60_000));
  Deno.unrefTimer(setInterval(sweep, GC_EVERY_MS));
}

async function start(log: Logger): Promise<void> {
  const config = loadConfig();
  const store = await openKv(config.kvPath);
  const { account, secret, firstToken } = await bootstrap(store.kv, config);
  config.secret = secret;
  if (config.demo) await seedDemo(store.kv, config, account.id);

  const switchyard = createSwitchyard(store.kv, config, { build: await readBuild(log), log });
  scheduleGarbageCollection(store.kv, log);
  if (firstToken) {
    // The only time this token is ever shown: it is stored as a hash (docs/OPERATING.md).
    log.info("First start: an owner API token was made; keep it, it is not shown again", {
      token: firstToken,
      use: `Authorization: Bearer ${firstToken}`,
    });
  }
  const drain = new Drain();
  const server = Deno.serve({
    port: config.port,
    onListen: ({ port }) =>
      log.info("Switchyard is listening", {
        port,
        kv: describeKv(store.backend),
        api: `${platformUrl(config)}/api/v1`,
        demo_store: config.demo ? appUrl(config, DEMO_SLUG) : undefined,
      }),
  }, drain.wrap(switchyard.fetch));

  shutDownOnSignals({
    server,
    drain,
    flush: () => switchyard.flush(),
    async close() {
      await switchyard.close();
      store.close();
    },
    timeoutMs: config.shutdownMs,
    log,
  });
}

/** The build is optional: without it everything works except `/cli.js` and island bundles. */
async function readBuild(log: Logger): Promise<BuildOutput | null> {
  try {
    const build = await loadBuildOutput();
    if (build) return build;
    log.warn('No build output: /cli.js answers 503 until "deno task build" has run', {
      dir: BUILD_DIR.pathname,
    });
  } catch (error) {
    log.warn("Build output unreadable: /cli.js answers 503", errorFields(error));
  }
  return null;
}

const log = createLogger();
try {
  await start(log);
} catch (error) {
  // A refusal at start (configuration, a KV file in use) ends here with its message in `error`.
  log.error("Switchyard could not start", errorFields(error));
  Deno.exit(1);
}
