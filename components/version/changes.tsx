/**
 * What a version changes against the live version (or another chosen one): added, removed and
 * changed files, from the same `diffVersions` the API's `…/diff` answers.
 */
import type { VNode } from "preact";
import type { VersionDiff } from "../../kv/version_diff.ts";
import { formatBytes } from "../ui.tsx";

/** Rows shown per list; a larger change says how many more there are. */
const SHOWN = 200;

interface Props {
  diff: VersionDiff;
  /** Whether `against` is what is live now (the default comparison). */
  againstLive: boolean;
  /** Other versions one may compare with, newest first. */
  choices: number[];
  baseUrl: string;
}

function heading({ diff, againstLive }: Props): string {
  if (diff.against === null) return "Changes: nothing is live yet";
  if (diff.against === diff.version) return "Changes: this is the live version";
  return `Changes against ${againstLive ? "the live " : ""}version ${diff.against}`;
}

function summary(diff: VersionDiff): string {
  if (diff.against === null) return `All ${diff.added.length} files are new.`;
  const parts = [
    `${diff.changed.length} changed`,
    `${diff.added.length} added`,
    `${diff.removed.length} removed`,
    `${diff.unchanged} unchanged`,
  ];
  return parts.join(", ") + ".";
}

export function Changes(props: Props): VNode {
  const { diff, choices, baseUrl } = props;
  const same = diff.added.length + diff.removed.length + diff.changed.length === 0;
  return (
    <section class="card" id="changes" aria-labelledby="changes-title">
      <div class="card-head">
        <h2 id="changes-title">{heading(props)}</h2>
        {choices.length > 0 && (
          <form method="get" action={`${baseUrl}#changes`} class="inline-form compare">
            <label for="against">Compare with</label>
            <select id="against" name="against">
              <option value="live" selected={props.againstLive}>live version</option>
              {choices.map((n) => (
                <option value={String(n)} selected={!props.againstLive && diff.against === n}>
                  version {n}
                </option>
              ))}
            </select>
            <button type="submit" class="button small">Compare</button>
          </form>
        )}
      </div>
      <p class="muted">{summary(diff)}</p>
      {same && diff.against !== null && diff.against !== diff.version && (
        <p class="empty">Same files as version {diff.against}: promoting it changes nothing.</p>
      )}
      {diff.changed.length > 0 && (
        <DiffList title="Changed" kind="changed" count={diff.changed.length}>
          {diff.changed.slice(0, SHOWN).map((file) => (
            <li key={file.path}>
              <code>{file.path}</code>
              <span class="muted">
                {formatBytes(file.before.size)} → {formatBytes(file.after.size)}
              </span>
            </li>
          ))}
        </DiffList>
      )}
      {diff.added.length > 0 && (
        <DiffList title="Added" kind="added" count={diff.added.length}>
          {diff.added.slice(0, SHOWN).map((file) => (
            <li key={file.path}>
              <code>{file.path}</code>
              <span class="muted">{formatBytes(file.size)}</span>
            </li>
          ))}
        </DiffList>
      )}
      {diff.removed.length > 0 && (
        <DiffList title="Removed" kind="removed" count={diff.removed.length}>
          {diff.removed.slice(0, SHOWN).map((file) => (
            <li key={file.path}>
              <code>{file.path}</code>
              <span class="muted">{formatBytes(file.size)}</span>
            </li>
          ))}
        </DiffList>
      )}
    </section>
  );
}

function DiffList(
  { title, kind, count, children }: {
    title: string;
    kind: "added" | "removed" | "changed";
    count: number;
    children: VNode[];
  },
): VNode {
  return (
    <div class={`diff diff-${kind}`}>
      <h3>
        <span class="diff-mark" aria-hidden="true">
          {kind === "added" ? "+" : kind === "removed" ? "−" : "~"}
        </span>
        {title} <span class="count">{count}</span>
      </h3>
      <ul class="file-list" aria-label={`${title} files`}>{children}</ul>
      {count > SHOWN && <p class="muted">And {count - SHOWN} more not shown.</p>}
    </div>
  );
}
