/**
 * The upload area: drop a folder (or pick one) and it goes as `deno task deploy` sends it, only
 * the files the server lacks; drop a zip or tar.gz and it goes whole. Progress for bytes and
 * files, a cancel button, and the server's refusals entry by entry.
 */
import { useRef, useState } from "preact/hooks";
import { formatBytes } from "../lib/format.ts";
import {
  filesOfDrop,
  filesOfInput,
  ignored,
  isArchive,
  type PickedFile,
  stripCommonFolder,
} from "./lib/folder.ts";
import {
  type Progress,
  uploadArchive,
  uploadFolder,
  type UploadResult,
} from "./lib/upload_flow.ts";

interface Props {
  slug: string;
}

type State =
  | { kind: "idle" }
  | { kind: "busy"; what: string; progress: Progress | null }
  | { kind: "done"; result: UploadResult };

const PHASES: Record<Progress["phase"], string> = {
  hashing: "Hashing files",
  uploading: "Uploading",
  installing: "Installing",
};

export default function Upload({ slug }: Props) {
  const [state, setState] = useState<State>({ kind: "idle" });
  const [over, setOver] = useState(false);
  const [label, setLabel] = useState("");
  const [message, setMessage] = useState("");
  const abort = useRef<AbortController | null>(null);

  async function start(what: string, run: (signal: AbortSignal) => Promise<UploadResult>) {
    const controller = new AbortController();
    abort.current = controller;
    setState({ kind: "busy", what, progress: null });
    try {
      setState({ kind: "done", result: await run(controller.signal) });
    } catch (error) {
      const cancelled = controller.signal.aborted;
      setState({
        kind: "done",
        result: {
          ok: false,
          message: cancelled
            ? "Upload cancelled: nothing was made ready"
            : String((error as Error).message ?? error),
          entries: [],
        },
      });
    }
  }

  function take(files: PickedFile[]) {
    const meta = { label, message };
    const onProgress = (progress: Progress) =>
      setState((s) => s.kind === "busy" ? { ...s, progress } : s);
    if (files.length === 1 && isArchive(files[0].file) && !files[0].path.includes("/")) {
      const file = files[0].file;
      return start(file.name, (signal) => uploadArchive(slug, file, meta, onProgress, signal));
    }
    const kept = stripCommonFolder(files).filter((f) => !ignored(f.path));
    if (kept.length === 0) {
      return setState({
        kind: "done",
        result: {
          ok: false,
          message:
            "Nothing to upload: the folder is empty once dotfiles, node_modules and source maps are left out",
          entries: [],
        },
      });
    }
    start(`${kept.length} files`, (signal) => uploadFolder(slug, kept, meta, onProgress, signal));
  }

  async function drop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    if (state.kind === "busy" || !event.dataTransfer) return;
    take(await filesOfDrop(event.dataTransfer));
  }

  const busy = state.kind === "busy";
  return (
    <div class="upload">
      <div class="upload-meta">
        <div class="field">
          <label for="upload-label">
            Label <span class="hint">(optional)</span>
          </label>
          <input
            id="upload-label"
            maxLength={100}
            value={label}
            onInput={(e) => setLabel((e.target as HTMLInputElement).value)}
            disabled={busy}
          />
        </div>
        <div class="field">
          <label for="upload-message">
            Message <span class="hint">(optional)</span>
          </label>
          <input
            id="upload-message"
            maxLength={500}
            value={message}
            onInput={(e) => setMessage((e.target as HTMLInputElement).value)}
            disabled={busy}
          />
        </div>
      </div>
      <div
        class={over ? "dropzone over" : "dropzone"}
        id="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <p class="dropzone-title">Drop a folder, a .zip or a .tar.gz here</p>
        <p class="muted small">A folder sends only the files this account does not have yet.</p>
        <div class="row">
          <label class="button" for="pick-folder">Choose a folder</label>
          <input
            id="pick-folder"
            class="visually-hidden"
            type="file"
            // @ts-ignore: a standard attribute Preact's types do not list
            webkitdirectory=""
            multiple
            disabled={busy}
            onChange={(e) => {
              const list = (e.target as HTMLInputElement).files;
              if (list?.length) take(filesOfInput(list));
            }}
          />
          <label class="button" for="pick-archive">Choose an archive</label>
          <input
            id="pick-archive"
            class="visually-hidden"
            type="file"
            accept=".zip,.tar.gz,.tgz,application/zip,application/gzip"
            disabled={busy}
            onChange={(e) => {
              const file = (e.target as HTMLInputElement).files?.[0];
              if (file) take([{ path: file.name, file }]);
            }}
          />
        </div>
      </div>
      <Status state={state} slug={slug} onCancel={() => abort.current?.abort()} />
    </div>
  );
}

function Status({ state, slug, onCancel }: { state: State; slug: string; onCancel: () => void }) {
  if (state.kind === "idle") return <div class="upload-status" />;
  if (state.kind === "busy") {
    const p = state.progress;
    return (
      <div class="upload-status" aria-live="polite">
        <p>
          <strong>{p ? PHASES[p.phase] : "Starting"}</strong> {state.what}
        </p>
        <progress
          class="progress"
          max={p?.bytes || 1}
          value={p?.bytesDone ?? 0}
          aria-label="Bytes sent"
        />
        {p && (
          <p class="muted small" id="upload-progress">
            {p.phase === "hashing"
              ? `${p.filesDone} of ${p.files} files hashed`
              : `${p.filesDone} of ${p.files} files · ${formatBytes(p.bytesDone)} of ${
                formatBytes(p.bytes)
              }`}
          </p>
        )}
        <button type="button" class="button" onClick={onCancel}>Cancel</button>
      </div>
    );
  }
  const { result } = state;
  if (result.ok) {
    return (
      <div class="upload-status" aria-live="polite">
        <p class="notice" role="status" id="upload-done">
          Version {result.version} is ready
          {result.sentBlobs > 0
            ? ` (${result.sentBlobs} new file${result.sentBlobs === 1 ? "" : "s"} sent, ${
              formatBytes(result.sentBytes)
            })`
            : result.sentBytes
            ? ""
            : " (every file was already on the server)"}.
        </p>
        <a class="button primary" href={`/apps/${slug}`}>Back to the app to promote it</a>
      </div>
    );
  }
  return (
    <div class="upload-status">
      <div class="error-box" role="alert" id="upload-refused">
        <strong>{result.message}</strong>
        {result.entries.length > 0 && (
          <ul>{result.entries.map((entry, i) => <li key={i}>{entry}</li>)}</ul>
        )}
      </div>
    </div>
  );
}
