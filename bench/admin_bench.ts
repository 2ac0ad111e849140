/**
 * The admin's speed (issue 14 item 6): the dashboard and the app page each rendered on the
 * server for an account with 100 apps × 50 versions, and the JavaScript each page ships
 * (gzipped: the client entry, its islands and every chunk they import statically).
 */
import { gzipSync } from "node:zlib";
import { testConfig } from "../config.ts";
import { createApp } from "../kv/apps.ts";
import { bootstrap } from "../kv/bootstrap.ts";
import { addSchedule, promote } from "../kv/live.ts";
import { createSignInLink } from "../kv/signin_links.ts";
import { createFromManifest, finalizeVersion, putBlob } from "../install/manifest.ts";
import { type BuildOutput, loadBuildOutput } from "../lib/build_output.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { createSwitchyard, type Switchyard } from "../server.ts";
import { median, type Row, type Section } from "./report.ts";
import { findAppBySlug } from "../kv/apps.ts";
import { seedStatsCounters, STATS_DAYS, statsReadMs } from "./admin_stats_seed.ts";

const APPS = 100;
const VERSIONS = 50;
const ROUNDS = 40;
const RENDER_GOAL_MS = 20;
const JS_GOAL_BYTES = 30 * 1024;

/** Fills the account: each app gets 50 ready versions (one shared file), v50 live, v49 scheduled. */
async function seed(kv: Deno.Kv, accountId: string, config: ReturnType<typeof testConfig>) {
  const bytes = new TextEncoder().encode("<h1>Bench</h1>");
  const sha256 = await sha256Hex(bytes);
  for (let a = 0; a < APPS; a++) {
    const app = await createApp(kv, accountId, { slug: `app-${a}`, name: `App ${a}` }, "127.0.0.1");
    for (let v = 1; v <= VERSIONS; v++) {
      const files = [{ path: "index.html", sha256, size: bytes.byteLength }];
      const made = await createFromManifest(kv, app, files, config.packageLimits, {
        label: `Release ${v}`,
        message: "A change",
        createdBy: "bench",
      });
      if (made.missing.length) await putBlob(kv, app, sha256, bytes, config.packageLimits);
      await finalizeVersion(kv, app, made.version.number);
    }
    await promote(kv, app, { version: VERSIONS, by: "bench" });
    await addSchedule(kv, app, {
      at: new Date(Date.now() + 86_400_000).toISOString(),
      version: VERSIONS - 1,
      by: "bench",
    });
  }
}

async function signIn(switchyard: Switchyard, kv: Deno.Kv, personId: string, accountId: string) {
  const secret = await createSignInLink(kv, { personId, accountId, purpose: "start" });
  const response = await switchyard.fetch(new Request(`http://127.0.0.1/auth/link/${secret}`));
  await response.body?.cancel();
  return response.headers.get("set-cookie")!.split(";")[0];
}

/** Median and 95th percentile of a page's full server answer (session, reads, render). */
async function timePage(switchyard: Switchyard, path: string, cookie: string) {
  const once = async () => {
    const started = performance.now();
    const response = await switchyard.fetch(
      new Request(`http://127.0.0.1${path}`, { headers: { cookie, accept: "text/html" } }),
    );
    const html = await response.text();
    if (response.status !== 200) {
      throw new Error(`${path}: ${response.status} ${html.slice(0, 200)}`);
    }
    return { ms: performance.now() - started, html };
  };
  for (let i = 0; i < 5; i++) await once();
  const times: number[] = [];
  let html = "";
  for (let i = 0; i < ROUNDS; i++) ({ ms: times[i], html } = await once());
  times.sort((a, b) => a - b);
  return { median: median(times), p95: times[Math.floor(times.length * 0.95)], html };
}

/** Gzipped bytes of the scripts a page loads: each `<script src>` and what it imports. */
export function pageScriptBytes(html: string, build: BuildOutput): { raw: number; gzip: number } {
  const seen = new Set<string>();
  const queue = [...html.matchAll(/<script type="module" src="\/_build\/([^"]+)"/g)].map((m) =>
    m[1]
  );
  for (const island of html.matchAll(/data-island="([^"]+)"/g)) {
    const path = build.manifest.islands[island[1]];
    if (path) queue.push(path);
  }
  let raw = 0;
  let gzip = 0;
  while (queue.length) {
    const path = queue.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const file = build.files.get(path);
    if (!file) continue;
    raw += file.bytes.byteLength;
    gzip += gzipSync(file.bytes, { level: 9 }).byteLength;
    const text = new TextDecoder().decode(file.bytes);
    const folder = path.slice(0, path.lastIndexOf("/") + 1);
    // Static imports only: what loads with the page (a dynamic import waits for a click).
    for (const m of text.matchAll(/(?:^|[;}])\s*import\s*(?:[\w${},*\s]+from\s*)?"\.\/([^"]+)"/g)) {
      queue.push(folder + m[1]);
    }
  }
  return { raw, gzip };
}

export async function adminBench(): Promise<Section> {
  const build = await loadBuildOutput();
  if (!build) throw new Error('The admin benchmark needs the build: run "deno task build"');
  const dir = await Deno.makeTempDir({ prefix: "switchyard-bench-admin-" });
  const kv = await Deno.openKv(`${dir}/kv.sqlite`);
  const config = testConfig({ platformHost: "127.0.0.1" });
  const { account, owner, secret } = await bootstrap(kv, config);
  config.secret = secret;
  const switchyard = createSwitchyard(kv, config, { build });
  try {
    await seed(kv, account.id, config);
    const statsApp = (await findAppBySlug(kv, "app-7"))!;
    await seedStatsCounters(kv, statsApp.id, VERSIONS, true);
    await seedStatsCounters(kv, (await findAppBySlug(kv, "app-8"))!.id, VERSIONS, false);
    const cookie = await signIn(switchyard, kv, owner.id, account.id);
    const rows: Row[] = [];
    const pages: [string, string][] = [
      ["dashboard", "/"],
      ["app page", "/apps/app-7"],
      [
        `stats page (${VERSIONS} versions × ${STATS_DAYS} days of counters)`,
        "/apps/app-7/stats?range=90",
      ],
      [
        `stats page (${VERSIONS} versions released over ${STATS_DAYS} days, 3 counting a day)`,
        "/apps/app-8/stats?range=90",
      ],
    ];
    const scripts: string[] = [];
    let heaviest = 0;
    for (const [name, path] of pages) {
      const timed = await timePage(switchyard, path, cookie);
      rows.push({
        what: `${name} (\`${path}\`) server render, ${APPS} apps × ${VERSIONS} versions`,
        result: `${timed.median.toFixed(1)} ms median, ${
          timed.p95.toFixed(1)
        } ms p95 (${ROUNDS} renders)`,
        goal: `≤ ${RENDER_GOAL_MS} ms`,
        met: timed.median <= RENDER_GOAL_MS,
      });
      const bytes = pageScriptBytes(timed.html, build);
      heaviest = Math.max(heaviest, bytes.gzip);
      scripts.push(
        `${name} ${(bytes.gzip / 1024).toFixed(1)} KiB (${(bytes.raw / 1024).toFixed(1)} KiB raw)`,
      );
    }
    const read = await statsReadMs(kv, statsApp, ROUNDS);
    rows.push({
      what: `of the stats page: \`readStats\` alone (kv/stats.ts, the API's read of ${
        VERSIONS * STATS_DAYS * 5
      } counter keys)`,
      result: `${read.toFixed(1)} ms median`,
      goal: "none (diagnostic)",
      met: null,
    });
    for (
      const [name, path, as] of [["sign-in", "/signin", ""], [
        "upload",
        "/apps/app-7/upload",
        cookie,
      ]]
    ) {
      const response = await switchyard.fetch(
        new Request(`http://127.0.0.1${path}`, { headers: { cookie: as, accept: "text/html" } }),
      );
      const bytes = pageScriptBytes(await response.text(), build);
      heaviest = Math.max(heaviest, bytes.gzip);
      scripts.push(
        `${name} ${(bytes.gzip / 1024).toFixed(1)} KiB (${(bytes.raw / 1024).toFixed(1)} KiB raw)`,
      );
    }
    rows.push({
      what: "JavaScript shipped, gzipped, by page: " + scripts.join("; "),
      result: `heaviest ${(heaviest / 1024).toFixed(1)} KiB`,
      goal: "≤ 30 KiB",
      met: heaviest <= JS_GOAL_BYTES,
    });
    return {
      title: "Admin pages",
      rows,
      method: "The real handler in-process (`fetch` on it, no socket) over a temporary SQLite KV " +
        `file with ${APPS} apps of ${VERSIONS} ready versions each (one live, one scheduled), ` +
        "signed in with a session cookie; each page's whole answer timed (session, KV reads, " +
        `render), ${ROUNDS} rounds after 5 warm-up ones. Script bytes: the client entry, the ` +
        "islands the page uses and the chunks they import statically, each gzipped at level 9 " +
        "(a dynamic import, such as the passkey library, loads only on its button's click). " +
        "The stats page's answer is nearly all `readStats`, the stats API's own read: five " +
        "counter keys per version per day, every one of the 50 versions counting every day " +
        "in the first stats row (the worst case); its render is the difference between that " +
        "row and `readStats` alone. In the second, as when 50 versions were released over the " +
        "90 days, three versions count each day.",
    };
  } finally {
    await switchyard.close();
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const section = await adminBench();
  for (const row of section.rows) console.log(`${row.what}: ${row.result} (goal ${row.goal})`);
}
