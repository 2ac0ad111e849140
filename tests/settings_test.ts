/** Runtime settings: schemas in the package, the settings API, and the injected files. */
import assert from "node:assert/strict";
import { zipOf } from "./fixtures/archives.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

const SETTINGS_FIELDS = [
  {
    name: "headline",
    type: "string",
    label: "Headline",
    section: "Page",
    required: true,
    default_value: "Hello",
    min_length: 2,
    max_length: 20,
  },
  { name: "intro", type: "text", label: "Intro", section: "Page", default_value: "" },
  { name: "show_ratings", type: "boolean", label: "Ratings", default_value: true },
  {
    name: "per_row",
    type: "integer",
    label: "Per row",
    default_value: 3,
    min_value: 2,
    max_value: 6,
  },
  {
    name: "tax_rate",
    type: "decimal",
    label: "Tax",
    default_value: 0.2,
    min_value: 0,
    max_value: 1,
  },
  {
    name: "layout",
    type: "string",
    label: "Layout",
    required: true,
    default_value: "wide",
    options: [{ display: "Wide", value: "wide" }, { display: "Narrow", value: "narrow" }],
  },
  { name: "logo", type: "image", label: "Logo" },
];
const STYLE_FIELDS = [{ name: "accent", type: "color", label: "Accent", default_value: "#aa3300" }];

async function appWithFields(server: TestServer, slug: string, files: Record<string, string> = {}) {
  await (await server.api("POST", "/apps", { slug, name: slug })).body?.cancel();
  const res = await server.api(
    "POST",
    `/apps/${slug}/versions`,
    zipOf({
      "index.html": "<p>s</p>",
      "fields/settings.json": JSON.stringify(SETTINGS_FIELDS),
      "fields/style.json": JSON.stringify(STYLE_FIELDS),
      ...files,
    }),
    { "content-type": "application/zip" },
  );
  return res;
}

Deno.test("settings of every field type round-trip through the API and the injected files", async () => {
  const server = await startServer();
  try {
    const up = await appWithFields(server, "cfg");
    assert.equal(up.status, 201, await up.clone().text());
    await up.body?.cancel();
    await (await server.api("PUT", "/apps/cfg/live", { version: 1 })).body?.cancel();

    let res = await server.api("GET", "/apps/cfg/settings");
    const defaults = await res.json();
    assert.deepEqual(defaults.app, {
      headline: "Hello",
      intro: "",
      show_ratings: true,
      per_row: 3,
      tax_rate: 0.2,
      layout: "wide",
      logo: null,
    });
    assert.deepEqual(defaults.style, { accent: "#aa3300" });

    const values = {
      app: {
        headline: "Winter",
        intro: "Long\ntext </script>",
        show_ratings: false,
        per_row: 4,
        tax_rate: 0.075,
        layout: "narrow",
        logo: "https://cdn.example/logo.png",
      },
      style: { accent: "#123456" },
      script: "console.log('merchant');",
      css: "body{color:red}",
    };
    res = await server.api("PUT", "/apps/cfg/settings", values);
    assert.equal(res.status, 200, await res.clone().text());
    const saved = await res.json();
    assert.deepEqual(saved.app, values.app);

    const json = await server.edge("cfg", "/settings/app.json");
    assert.deepEqual(json.json(), values.app);
    assert.equal(json.headers.get("cache-control"), "no-cache");
    const js = await server.edge("cfg", "/settings/app.js");
    assert.match(js.headers.get("content-type")!, /javascript/);
    assert.ok(!js.text().includes("</script>"), "values cannot close a script tag");
    const window = {} as { __settings?: { app?: unknown } };
    new Function("window", js.text())(window);
    assert.deepEqual(window.__settings?.app, values.app);
    assert.deepEqual((await server.edge("cfg", "/settings/style.json")).json(), values.style);
    assert.equal((await server.edge("cfg", "/settings/script.js")).text(), values.script);
    assert.equal((await server.edge("cfg", "/settings/style.css")).text(), values.css);
    const account = (await server.edge("cfg", "/settings/account.json")).json<
      Record<string, unknown>
    >();
    assert.equal(account.account_id, server.accountId);
    assert.equal(account.test, false);
    assert.equal(account.api_host, "cfg.localhost");
    assert.deepEqual(account.currencies, [{ code: "USD", name: "US Dollar" }]);
    // What Comecero's client reads as it loads (COMECERO-API.md §8).
    assert.deepEqual(account.payment_method_types, ["credit_card"]);
    assert.equal(account.allow_save_cards, false);
    assert.equal(account.company_name, "Default account");
    assert.match(String(account.date_utc), /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(account.browser_info, { locale: "en-US", language: "en" });
  } finally {
    await server.close();
  }
});

Deno.test("invalid settings are 422 naming every failing field", async () => {
  const server = await startServer();
  try {
    await (await appWithFields(server, "bad")).body?.cancel();
    await (await server.api("PUT", "/apps/bad/live", { version: 1 })).body?.cancel();
    const res = await server.api("PUT", "/apps/bad/settings", {
      app: {
        headline: "x",
        per_row: 9,
        layout: "sideways",
        show_ratings: "yes",
        tax_rate: "a",
        logo: "javascript:alert(1)",
        nope: 1,
      },
      style: { accent: "red" },
    });
    assert.equal(res.status, 422);
    const body = await res.json();
    const fields = body.error.details.map((d: { field: string }) => d.field).sort();
    assert.deepEqual(fields, [
      "app.headline",
      "app.layout",
      "app.logo",
      "app.nope",
      "app.per_row",
      "app.show_ratings",
      "app.tax_rate",
      "style.accent",
    ]);
    const after = await (await server.api("GET", "/apps/bad/settings")).json();
    assert.equal(after.app.headline, "Hello", "a refused update changes nothing");
  } finally {
    await server.close();
  }
});

Deno.test("a malformed settings schema refuses the package naming the field", async () => {
  const server = await startServer();
  try {
    const res = await appWithFields(server, "schema", {
      "fields/settings.json": JSON.stringify([{ name: "size", type: "huge" }]),
    });
    assert.equal(res.status, 422);
    const body = await res.json();
    assert.match(body.error.message, /"size"/);
    assert.match(body.error.message, /fields\/settings\.json/);
    const versions = await (await server.api("GET", "/apps/schema/versions")).json();
    assert.deepEqual(versions.items, []);
    const badDefault = await appWithFields(server, "schema", {
      "fields/style.json": JSON.stringify([{
        name: "accent",
        type: "color",
        default_value: "blue",
      }]),
    });
    assert.equal(badDefault.status, 422);
    assert.match((await badDefault.json()).error.message, /"accent"/);
  } finally {
    await server.close();
  }
});

Deno.test("a preview sees its own version's schema and account.test is true", async () => {
  const server = await startServer();
  try {
    await (await server.api("POST", "/apps", { slug: "pv", name: "pv" })).body?.cancel();
    for (const fields of [[], [{ name: "banner", type: "string", default_value: "Snow" }]]) {
      const res = await server.api(
        "POST",
        "/apps/pv/versions",
        zipOf({
          "index.html": "x",
          "fields/settings.json": JSON.stringify(fields),
        }),
        { "content-type": "application/zip" },
      );
      await res.body?.cancel();
    }
    await (await server.api("PUT", "/apps/pv/live", { version: 1 })).body?.cancel();
    const link = await (await server.api("POST", "/apps/pv/versions/2/links", { label: "x" }))
      .json();
    const u = new URL(link.url);
    const opened = await server.edge("pv", u.pathname + u.search);
    const cookie = opened.headers.get("set-cookie")!.split(";")[0];
    assert.deepEqual((await server.edge("pv", "/settings/app.json")).json(), {});
    const previewed = await server.edge("pv", "/settings/app.json", { headers: { cookie } });
    assert.deepEqual(previewed.json(), { banner: "Snow" });
    assert.equal(previewed.headers.get("cache-control"), "private, no-store");
    const account = await server.edge("pv", "/settings/account.js", { headers: { cookie } });
    assert.match(account.text(), /"test":true/);
  } finally {
    await server.close();
  }
});

Deno.test("concurrent saves of different parts of the settings both stick", async () => {
  const server = await startServer();
  try {
    await (await appWithFields(server, "race")).body?.cancel();
    await (await server.api("PUT", "/apps/race/live", { version: 1 })).body?.cancel();
    for (let i = 0; i < 10; i++) {
      const [a, b] = await Promise.all([
        server.api("PUT", "/apps/race/settings", { script: `s${i}` }),
        server.api("PUT", "/apps/race/settings", { css: `c${i}` }),
      ]);
      assert.deepEqual([a.status, b.status], [200, 200]);
      await Promise.all([a.body?.cancel(), b.body?.cancel()]);
      const now = await (await server.api("GET", "/apps/race/settings")).json();
      assert.deepEqual([now.script, now.css], [`s${i}`, `c${i}`]);
    }
  } finally {
    await server.close();
  }
});

Deno.test("a Comecero package whose field files write numbers as strings installs unchanged", async () => {
  const server = await startServer();
  try {
    // As Comecero's published cart writes them: an integer default "1", options "0"…"3".
    const comecero = [
      {
        name: "cross_sell_items",
        type: "integer",
        label: "Cross-sell items",
        default_value: "1",
        options: ["0", "1", "2", "3"].map((value) => ({ display: value, value })),
      },
      {
        name: "max_note",
        type: "integer",
        default_value: "250",
        min_value: "0",
        max_value: "1000",
      },
      { name: "show_promo_code", type: "boolean", default_value: "true" },
      { name: "company_name", type: "string", default_value: "1", max_length: "100" },
    ];
    const up = await appWithFields(server, "comecero", {
      "fields/settings.json": JSON.stringify(comecero),
    });
    assert.equal(up.status, 201, await up.clone().text());
    await up.body?.cancel();
    await (await server.api("PUT", "/apps/comecero/live", { version: 1 })).body?.cancel();
    const app = (await server.edge("comecero", "/settings/app.json")).json<
      Record<string, unknown>
    >();
    assert.equal(app.cross_sell_items, 1);
    assert.equal(app.max_note, 250);
    assert.equal(app.show_promo_code, true);
    assert.equal(app.company_name, "1", "a string field keeps its string");
    const put = await server.api("PUT", "/apps/comecero/settings", {
      app: { cross_sell_items: 3 },
    });
    assert.equal(put.status, 200, await put.clone().text());
    await put.body?.cancel();
    const refused = await server.api("PUT", "/apps/comecero/settings", {
      app: { cross_sell_items: 4 },
    });
    assert.equal(refused.status, 422);
    await refused.body?.cancel();
  } finally {
    await server.close();
  }
});
