/**
 * "Make version N live?": a modal that names what is live now and what will be, and sends the
 * promote with `expect` set to what this page showed.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { describeTarget, type LiveView, versionName, type VersionView } from "./app_types.ts";
import { type Outcome, promoteVersion } from "./live_actions.ts";

interface Props {
  slug: string;
  version: VersionView | null;
  live: LiveView;
  onClose: (outcome: Outcome | null) => void;
}

export function PromoteDialog({ slug, version, live, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (version && !dialog.current?.open) dialog.current?.showModal();
    if (!version && dialog.current?.open) dialog.current.close();
  }, [version]);
  async function confirm() {
    if (!version) return;
    setBusy(true);
    const outcome = await promoteVersion(slug, version.number, live.version);
    setBusy(false);
    onClose(outcome);
  }
  return (
    <dialog
      ref={dialog}
      aria-labelledby="promote-title"
      onClose={() => version && !busy && onClose(null)}
    >
      {version && (
        <>
          <h2 id="promote-title">Make version {version.number} live?</h2>
          <p>
            Shoppers get <strong>{versionName(version, version.number)}</strong>{" "}
            on their next page load. Live now:{" "}
            <strong>{describeTarget(live.version, live.split)}</strong>.
          </p>
          <p class="muted small">You can roll back in one click afterwards.</p>
          <div class="row dialog-buttons">
            <button type="button" class="button" onClick={() => onClose(null)} disabled={busy}>
              Cancel
            </button>
            <button type="button" class="button primary" onClick={confirm} disabled={busy}>
              {busy ? "Promoting…" : `Promote v${version.number}`}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
