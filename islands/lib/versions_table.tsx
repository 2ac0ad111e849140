/** The app's versions, newest first: what each is, whether it is live, and what can be done. */
import { useState } from "preact/hooks";
import { formatBytes, type LiveView, type VersionView } from "./app_types.ts";
import { formatNumber } from "../../lib/format.ts";
import { RelTime } from "./rel_time.tsx";
import { previewLink } from "./live_actions.ts";

interface Props {
  slug: string;
  versions: VersionView[];
  live: LiveView;
  canDeploy: boolean;
  now: number;
  locale: string;
  onPromote: (version: VersionView) => void;
}

function liveShare(live: LiveView, number: number): string | null {
  if (live.split) {
    const arm = live.split.find((a) => a.version === number);
    return arm ? `${arm.weight}% live` : null;
  }
  return live.version === number ? "Live" : null;
}

export function VersionsTable(props: Props) {
  const { versions, live, canDeploy, now, locale } = props;
  if (versions.length === 0) {
    return (
      <div class="empty" id="no-versions">
        <p class="muted">
          No versions yet. {props.canDeploy ? "Upload a folder or an archive, or deploy" : "Deploy"}
          {" "}
          one from a terminal or CI:
        </p>
        <pre><code>deno task deploy ./dist --app {props.slug}</code></pre>
      </div>
    );
  }
  return (
    <div class="table-wrap">
      <table class="versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col" class="num">Files</th>
            <th scope="col" class="num">Size</th>
            <th scope="col">Uploaded</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((version) => {
            const share = liveShare(live, version.number);
            return (
              <tr key={version.number} data-version={version.number}>
                <td>
                  <div class="version-name">
                    <strong>v{version.number}</strong>
                    {version.label && <span>{version.label}</span>}
                    {share && <span class="badge live">{share}</span>}
                  </div>
                  {version.message && <div class="muted small">{version.message}</div>}
                </td>
                <td>
                  <span class={version.status === "ready" ? "badge" : "badge warn"}>
                    {version.status === "ready" ? "Ready" : "Uploading"}
                  </span>
                </td>
                <td class="num">{formatNumber(version.file_count, locale)}</td>
                <td class="num">{formatBytes(version.bytes)}</td>
                <td>
                  <RelTime iso={version.created_at} now={now} locale={locale} />
                  <div class="muted small">by {version.created_by}</div>
                </td>
                <td class="actions">
                  {version.status === "ready" && (
                    <Actions
                      {...props}
                      version={version}
                      isLive={share === "Live"}
                      canDeploy={canDeploy}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Actions(
  { slug, version, isLive, canDeploy, onPromote }: Props & {
    version: VersionView;
    isLive: boolean;
  },
) {
  const [preview, setPreview] = useState<{ url?: string; error?: string; busy?: boolean }>({});
  async function makePreview() {
    setPreview({ busy: true });
    const made = await previewLink(slug, version.number);
    setPreview(made.ok ? { url: made.message } : { error: made.message });
  }
  return (
    <div class="row actions-row">
      {canDeploy && !isLive && (
        <button
          type="button"
          class="button small primary"
          onClick={() => onPromote(version)}
        >
          Promote<span class="visually-hidden">version {version.number}</span>
        </button>
      )}
      <a class="button small" href={`/apps/${slug}/versions/${version.number}`}>
        Details<span class="visually-hidden">of version {version.number}</span>
      </a>
      {canDeploy && (preview.url
        ? (
          <a class="button small" href={preview.url} target="_blank" rel="noopener">
            Open preview<span class="visually-hidden">of version {version.number}</span>
          </a>
        )
        : (
          <button type="button" class="button small" onClick={makePreview} disabled={preview.busy}>
            Preview<span class="visually-hidden">version {version.number}</span>
          </button>
        ))}
      {preview.error && <span role="alert" class="error-text">{preview.error}</span>}
    </div>
  );
}
