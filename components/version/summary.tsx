/** The head of a version page: what the version is, whether it is live, and what to do with it. */
import type { VNode } from "preact";
import type { Version } from "../../kv/versions.ts";
import { CsrfField, formatBytes, Time } from "../ui.tsx";

interface Props {
  slug: string;
  version: Version;
  /** The version most shoppers see now; null when nothing is live. */
  live: number | null;
  canDeploy: boolean;
  csrf: string;
  now: number;
  locale: string;
}

export function VersionSummary(props: Props): VNode {
  const { slug, version, live, canDeploy, csrf, now, locale } = props;
  const ready = version.status === "ready";
  return (
    <section class="card version-summary" aria-label={`Version ${version.number}`}>
      <div class="card-head">
        <div class="version-title">
          <span class="version-number">v{version.number}</span>
          {version.label && <strong>{version.label}</strong>}
          {live === version.number && <span class="badge live">Live</span>}
          {!ready && <span class="badge warn">Uploading</span>}
        </div>
        <div class="actions-row">
          {ready && canDeploy && (
            <form method="post">
              <CsrfField token={csrf} />
              <input type="hidden" name="intent" value="preview" />
              <button type="submit" class="button primary">Open in preview</button>
            </form>
          )}
          <a class="button" href={`/apps/${slug}/settings`}>Settings</a>
        </div>
      </div>
      {version.message && <p class="message">{version.message}</p>}
      <dl class="facts">
        <div>
          <dt>Files</dt>
          <dd>{version.file_count}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{formatBytes(version.bytes)}</dd>
        </div>
        <div>
          <dt>Uploaded</dt>
          <dd>
            <Time iso={version.created_at} now={now} locale={locale} /> by {version.created_by}
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{ready ? "Ready" : "Uploading: its files are not all there yet"}</dd>
        </div>
      </dl>
    </section>
  );
}
