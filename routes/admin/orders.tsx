/**
 * `/orders`: the account's orders, newest first, each with the app, version and mode of the page
 * the shopper paid on, filtered by them with a plain GET form. Read with `listOrders`
 * (kv/orders.ts), as `GET /api/v1/orders` does.
 */
import { Card, Time } from "../../components/ui.tsx";
import { formatMoney } from "../../commerce/money.ts";
import { type App, getApp, listApps } from "../../kv/apps.ts";
import { listOrders, type OrderRecord } from "../../kv/orders.ts";
import { type AuthedContext, definePage } from "./context.ts";

const PAGE_SIZE = 50;

interface Filter {
  app: string;
  version: string;
  mode: "" | "live" | "test";
  versionError: string | null;
}

function filterOf(url: URL): Filter {
  const version = (url.searchParams.get("version") ?? "").trim();
  const mode = url.searchParams.get("mode");
  const ok = version === "" || /^[1-9]\d{0,8}$/.test(version);
  return {
    app: (url.searchParams.get("app") ?? "").slice(0, 40),
    version: ok ? version : "",
    mode: mode === "live" || mode === "test" ? mode : "",
    versionError: ok ? null : `"${version.slice(0, 20)}" is not a version number`,
  };
}

function Filters({ filter, apps, typed }: { filter: Filter; apps: App[]; typed: string }) {
  return (
    <form method="get" action="/orders" class="filters" role="search" aria-label="Filter orders">
      <div class="field">
        <label for="f-app">App</label>
        <select id="f-app" name="app">
          <option value="">All apps</option>
          {apps.map((app) => (
            <option key={app.id} value={app.slug} selected={app.slug === filter.app}>
              {app.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-version">Version</label>
        <input
          id="f-version"
          name="version"
          inputMode="numeric"
          size={6}
          value={filter.versionError ? typed : filter.version}
          aria-invalid={filter.versionError ? "true" : undefined}
          aria-describedby={filter.versionError ? "f-version-error" : undefined}
        />
        {filter.versionError && <p class="error-text" id="f-version-error">{filter.versionError}
        </p>}
      </div>
      <div class="field">
        <label for="f-mode">Mode</label>
        <select id="f-mode" name="mode">
          <option value="" selected={filter.mode === ""}>Live and test</option>
          <option value="live" selected={filter.mode === "live"}>Live</option>
          <option value="test" selected={filter.mode === "test"}>Test</option>
        </select>
      </div>
      <button type="submit" class="button">Show</button>
      <a href="/orders" class="button ghost">Clear</a>
    </form>
  );
}

function OrderRow(
  { order, slugs, ctx }: { order: OrderRecord; slugs: Map<string, string>; ctx: AuthedContext },
) {
  const slug = order.app_id ? slugs.get(order.app_id) : undefined;
  return (
    <tr>
      <td class="nowrap" data-label="Time">
        <Time iso={order.date_created} now={ctx.now} locale={ctx.locale} />
      </td>
      <td data-label="Taken by">
        <span class="row">
          {slug ? <a href={`/apps/${slug}/stats`}>{slug}</a> : <span class="muted">no app</span>}
          {order.version !== null && <span class="badge accent">v{order.version}</span>}
          <span class={order.mode === "test" ? "badge warn" : "badge live"}>{order.mode}</span>
        </span>
      </td>
      <td data-label="Items">
        <div>
          <ul class="items">
            {order.items.map((item) => <li key={item.product_id}>{item.quantity} × {item.name}
            </li>)}
          </ul>
          <span class="muted small">
            <code>{order.order_id}</code>
          </span>
        </div>
      </td>
      <td class="num" data-label="Total">{formatMoney(order.total, order.currency, ctx.locale)}</td>
    </tr>
  );
}

export default definePage({
  async GET(ctx) {
    const accountId = ctx.user.account.id;
    const filter = filterOf(ctx.url);
    const app = filter.app ? await getApp(ctx.kv, accountId, filter.app) : null;
    const [apps, page] = await Promise.all([
      listApps(ctx.kv, accountId, { limit: 100 }),
      listOrders(ctx.kv, accountId, {
        appId: app?.id,
        version: filter.version ? Number(filter.version) : undefined,
        mode: filter.mode || undefined,
        limit: PAGE_SIZE,
        cursor: ctx.url.searchParams.get("cursor"),
      }),
    ]);
    const slugs = new Map(apps.items.map((a) => [a.id, a.slug]));
    const more = new URL(ctx.url);
    if (page.next_cursor) more.searchParams.set("cursor", page.next_cursor);
    const filtered = filter.app || filter.version || filter.mode;
    return {
      title: "Orders",
      status: filter.versionError ? 422 : 200,
      body: (
        <Card>
          <Filters
            filter={filter}
            apps={apps.items}
            typed={ctx.url.searchParams.get("version") ?? ""}
          />
          {page.items.length === 0
            ? (
              <p class="muted empty">
                {filtered
                  ? "No order matches these filters."
                  : "No orders yet. Share a storefront link, or buy with the test card 4242 4242 4242 4242 through a test link to see one here."}
              </p>
            )
            : (
              <div class="table-wrap">
                <table class="orders">
                  <caption class="visually-hidden">Orders, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Taken by</th>
                      <th scope="col">Items</th>
                      <th scope="col" class="num">Total</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((order) => (
                      <OrderRow key={order.order_id} order={order} slugs={slugs} ctx={ctx} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          {page.next_cursor && (
            <p>
              <a href={more.pathname + more.search}>Older orders</a>
            </p>
          )}
        </Card>
      ),
    };
  },
});
