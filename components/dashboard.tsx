/** The dashboard's pieces: an app's card, the first-deploy guide, the create-app form. */
import type { VNode } from "preact";
import type { AppOverview } from "../kv/overview.ts";
import type { ScheduledChange, Target } from "../kv/live_record.ts";
import { formatNumber } from "../lib/format.ts";
import { CsrfField, Problems, Time } from "./ui.tsx";

export interface AppCardData {
  overview: AppOverview;
  url: string;
  /** What is live now (the schedule applied), and the changes still to come. */
  target: Target;
  pending: ScheduledChange[];
}

export function AppGrid(
  { cards, now, locale, nextCursor }: {
    cards: AppCardData[];
    now: number;
    locale: string;
    nextCursor: string | null;
  },
): VNode {
  return (
    <>
      <ul class="apps" aria-label="Apps">
        {cards.map((card) => (
          <AppCard key={card.overview.app.id} {...card} now={now} locale={locale} />
        ))}
      </ul>
      {nextCursor && (
        <p>
          <a class="button" href={`/?cursor=${encodeURIComponent(nextCursor)}`}>More apps</a>
        </p>
      )}
    </>
  );
}

function AppCard(
  { overview, url, target, pending, now, locale }: AppCardData & { now: number; locale: string },
): VNode {
  const { app, versions, visitorsToday } = overview;
  const liveVersion = target.version === null ? null : versions.get(target.version);
  return (
    <li class="card app-card">
      <div class="row spread">
        <h2>
          <a href={`/apps/${app.slug}`}>{app.name}</a>
        </h2>
        {target.version === null
          ? <span class="badge">Nothing live</span>
          : <span class="badge live">v{target.version} live</span>}
      </div>
      <a class="host" href={url}>{url.replace(/^https?:\/\//, "")}</a>
      <dl class="app-meta">
        <dt>Live</dt>
        <dd>
          {target.split
            ? target.split.map((arm) => `v${arm.version} ${arm.weight}%`).join(" · ")
            : liveVersion
            ? liveVersion.label ?? liveVersion.message ?? `Version ${liveVersion.number}`
            : "Not yet promoted"}
        </dd>
        <dt>Scheduled</dt>
        <dd>
          {pending.length === 0 ? "Nothing" : (
            <>
              {pending[0].version === null ? "Nothing live" : `v${pending[0].version}`}{" "}
              <Time iso={pending[0].at} now={now} locale={locale} />
              {pending.length > 1 && ` (+${pending.length - 1} more)`}
            </>
          )}
        </dd>
        <dt title="Shoppers counted today (UTC)">Visitors today</dt>
        <dd>{formatNumber(visitorsToday, locale)}</dd>
      </dl>
    </li>
  );
}

/** A fresh account's dashboard: what to run to deploy a first app. */
export function FirstDeploy({ platform, canCreate }: { platform: string; canCreate: boolean }) {
  const host = platform.replace(/^https?:\/\//, "");
  return (
    <section class="card empty">
      <h2>Deploy your first app</h2>
      <p class="muted">
        {canCreate
          ? "Create an app below, then deploy a folder to it from your terminal (or drag it onto the app's upload page):"
          : "No apps yet. A developer of this account deploys one from their terminal:"}
      </p>
      <pre><code>{`export SWITCHYARD_URL=${host} SWITCHYARD_TOKEN=sy_…
deno task deploy ./dist --app shop`}</code></pre>
    </section>
  );
}

export function CreateAppForm(
  { csrf, values }: { csrf: string; values?: { slug: string; name: string; problems: string[] } },
): VNode {
  return (
    <section class="card" aria-labelledby="create-app-title">
      <h2 id="create-app-title">Create an app</h2>
      <Problems title="The app was not created" problems={values?.problems ?? []} />
      <form method="post" action="/" class="create-app">
        <CsrfField token={csrf} />
        <div class="field">
          <label for="app-name">Name</label>
          <input id="app-name" name="name" required maxLength={100} value={values?.name} />
        </div>
        <div class="field">
          <label for="app-slug">
            Slug <span class="hint">(its host name)</span>
          </label>
          <input
            id="app-slug"
            name="slug"
            required
            pattern="[a-z0-9]([a-z0-9\-]{0,38}[a-z0-9])?"
            maxLength={40}
            autocomplete="off"
            value={values?.slug}
          />
        </div>
        <button class="button primary" type="submit">Create app</button>
      </form>
    </section>
  );
}
