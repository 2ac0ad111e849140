/**
 * The app page's working part: what is live (with one-click rollback), the versions (promote
 * with confirmation, preview), the traffic split, the schedule and the release history. It
 * stays current by itself (`useAppData`: server-sent events, due schedules, a slow poll), and
 * shows only the buttons the person's role may press (the API refuses the rest anyway).
 */
import { useState } from "preact/hooks";
import type { AppData, LiveView, VersionView } from "./lib/app_types.ts";
import { useAppData } from "./lib/use_app_data.ts";
import { useClock } from "./lib/use_clock.ts";
import type { Outcome } from "./lib/live_actions.ts";
import { LivePanel } from "./lib/live_panel.tsx";
import { VersionsTable } from "./lib/versions_table.tsx";
import { PromoteDialog } from "./lib/promote_dialog.tsx";
import { SplitEditor } from "./lib/split_editor.tsx";
import { ScheduleEditor } from "./lib/schedule_editor.tsx";
import { History } from "./lib/history.tsx";

interface Props {
  slug: string;
  url: string;
  initial: AppData;
  can: { deploy: boolean; manage: boolean };
  now: number;
  locale: string;
}

export default function AppConsole({ slug, url, initial, can, now: serverNow, locale }: Props) {
  const { data, error, refresh } = useAppData(slug, initial);
  const now = useClock(serverNow, data);
  // What was live when the dialog opened goes with the promote as `expect`: a change made
  // meanwhile (shown on this page within moments) is refused, never silently overwritten.
  const [promoting, setPromoting] = useState<{ version: VersionView; seen: LiveView } | null>(
    null,
  );
  const [notice, setNotice] = useState<Outcome | null>(null);
  const done = (outcome: Outcome | null) => {
    setPromoting(null);
    if (outcome) setNotice(outcome);
    refresh();
  };
  const { live, versions, releases } = data;
  return (
    <div class="app-console">
      <div aria-live="polite" class="notices">
        {notice && (
          <p
            class={notice.ok ? "notice" : "error-box"}
            role={notice.ok ? "status" : "alert"}
            id="outcome"
          >
            {notice.message}
          </p>
        )}
        {error && <p class="error-box" role="alert">Could not refresh: {error}</p>}
      </div>
      <LivePanel
        slug={slug}
        url={url}
        live={live}
        versions={versions}
        canDeploy={can.deploy}
        canRollBack={live.version !== null || live.split !== null}
        now={now}
        locale={locale}
        onDone={done}
      />
      <section class="card" aria-labelledby="versions-title">
        <div class="row spread">
          <h2 id="versions-title">Versions</h2>
          {can.deploy && (
            <a class="button primary" href={`/apps/${slug}/upload`}>Upload a version</a>
          )}
        </div>
        <VersionsTable
          slug={slug}
          versions={versions}
          live={live}
          canDeploy={can.deploy}
          now={now}
          locale={locale}
          onPromote={(version) => setPromoting({ version, seen: live })}
        />
      </section>
      <div class="columns">
        {can.deploy && (
          <section class="card" aria-labelledby="split-title">
            <h2 id="split-title">Traffic split</h2>
            <SplitEditor slug={slug} live={live} versions={versions} onDone={done} />
          </section>
        )}
        <section class="card" aria-labelledby="schedule-title">
          <h2 id="schedule-title">Schedule</h2>
          <ScheduleEditor
            slug={slug}
            live={live}
            versions={versions}
            canManage={can.manage}
            now={now}
            locale={locale}
            onDone={done}
          />
        </section>
      </div>
      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title">Release history</h2>
        <History releases={releases} now={now} locale={locale} />
      </section>
      <PromoteDialog
        slug={slug}
        version={promoting?.version ?? null}
        live={promoting?.seen ?? live}
        onClose={done}
      />
    </div>
  );
}
