/**
 * The program: read the configuration, open KV, read the platform secret, and serve the
 * platform and every app host on one port until SIGTERM or SIGINT. Everything else a start does
 * (the default account and bootstrap token, the demo, the build output, garbage collection)
 * waits until the server listens, so a fresh isolate answers its first shopper without it
 * (DESIGN "Cold start"). Logs are JSON lines (docs/OPERATING.md "Logs").
 *
 * `main.ts` runs it: from the start bundle `deno task build` makes of it (`_start/`), or from
 * source when there is none for these sources.
 */
import { type Config, DEMO_SLUG, loadConfig } from "./config.ts";
import { describeKv, openKv } from "./kv/open.ts";
import { findAppBySlug } from "./kv/apps.ts";
import { bootstrap, startState } from "./kv/bootstrap.ts";
import { createSignInLink } from "./kv/signin_links.ts";
import { createSwitchyard } from "./server.ts";
import { appUrl, platformUrl } from "./lib/urls.ts";
import type { BuildOutput } from "./lib/build_output.ts";
import { type Chore, StartupChores } from "./lib/chores.ts";
import { importLazily } from "./lib/lazy_import.ts";
import { createLogger, errorFields, type Logger } from "./lib/log.ts";
import { Drain, shutDownOnSignals } from "./lib/shutdown.ts";

/** Defined (by esbuild's `define`) only in the start bundle: which one runs is logged. */
declare const SWITCHYARD_START_BUNDLE: true | undefined;

/**
 * When no request has come by then, the start-up chores run anyway: the sign-in link they print
 * is what someone who just started Switchyard is waiting for.
 */
const CHORES_AT_THE_LATEST_MS = 1_000;

/** How often garbage (blobs and manifests no version names) is swept; one sweep platform-wide. */
const GC_EVERY_MS = 6 * 3_600_000;

function scheduleGarbageCollection(kv: Deno.Kv, log: Logger): void {
  const sweep = async () => {
    try {
      const { collectAllGarbage } = await importLazily<typeof import("./install/gc.ts")>(
        new URL("./install/gc.ts", import.meta.url),
      );
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

/**
 * What a start does once the server listens: the default account and bootstrap token (and the
 * first-start token, shown once), then the demo seed when asked. The platform waits for them.
 */
function startupChores(kv: Deno.Kv, config: Config, log: Logger): Chore[] {
  let accountId = "";
  const chores: Chore[] = [{
    name: "bootstrap",
    async run() {
      const { account, owner, firstToken } = await bootstrap(kv, config);
      accountId = account.id;
      if (firstToken) {
        // The only time this token is ever shown: it is stored as a hash (docs/OPERATING.md).
        log.info("First start: an owner API token was made; keep it, it is not shown again", {
          token: firstToken,
          use: `Authorization: Bearer ${firstToken}`,
        });
      }
      // A new link at every start, for whoever runs it: the way into the admin without OAuth.
      const secret = await createSignInLink(kv, {
        personId: owner.id,
        accountId: account.id,
        purpose: "start",
      });
      log.info("Sign in to the admin with this one-time link (15 minutes, single use)", {
        sign_in: `${platformUrl(config)}/auth/link/${secret}`,
      });
    },
  }];
  if (config.demo) {
    chores.push({
      name: "demo seed",
      async run() {
        // Checked before the seed's module is loaded: on a KV that has the demo (every start
        // but the first) the install pipeline it needs stays unloaded.
        if (await findAppBySlug(kv, DEMO_SLUG)) return;
        const { seedDemo } = await importLazily<typeof import("./install/demo.ts")>(
          new URL("./install/demo.ts", import.meta.url),
        );
        if (await seedDemo(kv, config, accountId)) {
          log.info("Demo store seeded", { demo_store: appUrl(config, DEMO_SLUG) });
        }
      },
    });
  }
  return chores;
}

async function start(log: Logger): Promise<void> {
  const config = loadConfig();
  const store = await openKv(config.kvPath);
  const { secret, bootstrapped } = await startState(store.kv, config.secret);
  config.secret = secret;
  const chores = new StartupChores(startupChores(store.kv, config, log), log);
  // A KV that holds data has shoppers: they are served at once, and the chores run behind.
  // A fresh one has none yet, so the first start does its chores (the default account, the
  // demo) before it listens, and its first requests find them done; a failure stops it there.
  if (!bootstrapped) await chores.runOnce();
  let behind = false;
  const startWorkBehind = () => {
    if (behind) return;
    behind = true;
    chores.start();
    scheduleGarbageCollection(store.kv, log);
  };
  const switchyard = createSwitchyard(store.kv, config, {
    build: () => readBuild(log),
    log,
    ready: () => chores.whenDone(),
    afterFirstAnswer: startWorkBehind,
  });
  const drain = new Drain();
  const server = Deno.serve({
    port: config.port,
    onListen: ({ port }) =>
      log.info("Switchyard is listening", {
        port,
        kv: describeKv(store.backend),
        api: `${platformUrl(config)}/api/v1`,
        demo_store: config.demo ? appUrl(config, DEMO_SLUG) : undefined,
        from: typeof SWITCHYARD_START_BUNDLE === "undefined" ? "source" : "start bundle",
        started_ms: Math.round(performance.now()),
      }),
  }, drain.wrap(switchyard.fetch));
  Deno.unrefTimer(setTimeout(startWorkBehind, CHORES_AT_THE_LATEST_MS));

  shutDownOnSignals({
    server,
    drain,
    flush: () => switchyard.flush(),
    async close() {
      chores.stop();
      await switchyard.close();
      store.close();
    },
    timeoutMs: config.shutdownMs,
    log,
  });
}

/**
 * Read on the first platform request. The build is optional: without it everything works except
 * `/cli.js` and island bundles.
 */
async function readBuild(log: Logger): Promise<BuildOutput | null> {
  const { BUILD_DIR, loadBuildOutput } = await importLazily<
    typeof import("./lib/build_output.ts")
  >(new URL("./lib/build_output.ts", import.meta.url));
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

/**
 * Runs the program until a signal stops it. Importing this module does nothing else (main.ts
 * loads the start bundle while it checks it is current, and only then runs one); run directly
 * (`deno run program.ts`, `deno task dev`), it starts itself.
 */
export async function run(): Promise<void> {
  const log = createLogger();
  try {
    await start(log);
  } catch (error) {
    // A refusal at start (configuration, a KV file in use) ends here with its message in `error`.
    log.error("Switchyard could not start", errorFields(error));
    Deno.exit(1);
  }
}

if (import.meta.main) await run();
